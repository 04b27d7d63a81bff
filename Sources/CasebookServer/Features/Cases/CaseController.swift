import CasebookCore
import Fluent
import Vapor

/// `/cases`: open, search, read and change cases.
struct CaseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.get(use: search)
        cases.on(.POST, body: .collect(maxSize: "40mb"), use: create)
        cases.get(":reference", use: show)
        cases.patch(":reference", use: update)
    }

    @Sendable func search(req: Request) async throws -> CaseListView {
        let current = try req.current
        try req.authorize(.listCases)
        let query = try CaseSearchQuery(from: req, me: current.user.id)
        let (cases, next) = try await CaseSearchRepository(services: req.casebook).run(query, for: current.actor, on: req.db)
        let prefix = req.casebook.configuration.referencePrefix
        return CaseListView(items: cases.map { CaseView($0, prefix: prefix, forStaff: current.actor.role.isStaff) }, nextCursor: next)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let current = try req.current
        let input = try req.content.decode(CaseCreateRequest.self)
        let services = req.casebook
        let opening = OpenCase(services: services)
        return try await Idempotency.create(req, prepare: {
            try await opening.readied(try await req.store.reading { db in try await opening.prepare(input, by: current, on: db) })
        }) { plan, db in
            let model = try await opening.commit(plan, on: db)
            return CaseView(model, prefix: services.configuration.referencePrefix, forStaff: current.actor.role.isStaff)
        }
    }

    @Sendable func show(req: Request) async throws -> CaseView {
        let current = try req.current
        let model = try await req.readableCase()
        return CaseView(model, prefix: req.casebook.configuration.referencePrefix, forStaff: current.actor.role.isStaff)
    }

    @Sendable func update(req: Request) async throws -> CaseView {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let patch = try req.content.decode(CasePatchRequest.self)
        guard let expected = patch.version ?? Self.ifMatchVersion(req) else {
            throw Problem(status: .preconditionRequired, slug: "version-required", title: "Version required",
                          detail: "Send the case version you based this change on, as 'version' in the body or an If-Match header.")
        }
        let services = req.casebook
        do {
            let model = try await req.store.write { db in
                try await UpdateCase(services: services).run(reference: reference, patch: patch, expectedVersion: expected, by: current, on: db)
            }
            return CaseView(model, prefix: services.configuration.referencePrefix, forStaff: current.actor.role.isStaff)
        } catch let stale as UpdateCase.StaleVersion {
            var problem = Problem.conflict("Case \(reference) is at version \(stale.current.version), not \(expected); nothing was changed. Review the current state and try again.")
            problem.extensions["current"] = AnyEncodableValue(
                CaseView(stale.current, prefix: services.configuration.referencePrefix, forStaff: current.actor.role.isStaff))
            throw problem
        }
    }

    /// Reads `If-Match: "7"` or `If-Match: 7`.
    static func ifMatchVersion(_ req: Request) -> Int? {
        guard let header = req.headers.first(name: .ifMatch) else { return nil }
        return Int(header.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/")))
    }
}
