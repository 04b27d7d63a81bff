import CasebookCore
import Foundation
import SQLKit
import Vapor

/// `/canned-responses`: shared replies with placeholders, and `/cases/{reference}/canned-responses/{id}/render` to fill one for a case.
struct CannedResponseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let canned = routes.grouped("canned-responses")
        canned.get(use: list)
        canned.post(use: create)
        canned.get(":id", use: show)
        canned.patch(":id", use: update)
        canned.delete(":id", use: delete)
        routes.post("cases", ":reference", "canned-responses", ":id", "render", use: render)
        routes.post("cases", ":reference", "canned-responses", ":id", "apply", use: apply)
    }

    struct ApplyInput: Content {
        var version: Int?
        var dryRun: Bool?

        enum CodingKeys: String, CodingKey { case version, dryRun = "dry_run" }
    }

    /// The response as a macro on one case: with `dry_run` (the default) what it would say and change; otherwise the
    /// reply and the changes in one step, refused (409) if the case moved past `version`.
    @Sendable func apply(req: Request) async throws -> MacroPreview {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        guard let id = req.parameters.get("id", as: UUID.self), let canned = try await CannedResponseRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The canned response")
        }
        let input = req.body.data == nil ? ApplyInput() : try req.content.decode(ApplyInput.self)
        let text = try await CannedResponseRepository.fill(canned.body, for: record, agent: try req.current.user.name, req: req)
        let macro = ApplyMacro(services: req.casebook)
        var preview = try await macro.preview(canned, to: record, text: text, on: req.store.sql)
        guard input.dryRun == false else { return preview }
        let (reference, current, version) = (try req.parameters.require("reference"), try req.current, input.version ?? record.version)
        do {
            let outcome = try await req.store.write { db in
                try await macro.apply(canned, reference: reference, text: text, expectedVersion: version, by: current, on: db)
            }
            if case .held = outcome { preview.replyHeld = true } else { preview.replyHeld = false }
        } catch is UpdateCase.StaleVersion {
            throw DomainError.conflict("The case changed since version \(version); look at it again before applying the macro.")
        }
        preview.applied = true
        return preview
    }

    @Sendable func list(req: Request) async throws -> [CannedResponseView] {
        try req.authorize(.readInternal)
        return try await CannedResponseRepository.all(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> CannedResponseView {
        try req.authorize(.readInternal)
        guard let id = req.parameters.get("id", as: UUID.self), let canned = try await CannedResponseRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The canned response")
        }
        return canned
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(CannedResponseRequest.self)
        let view = try await CannedResponseRepository.save(input, id: nil, by: try req.current.user.id, req: req)
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> CannedResponseView {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The canned response") }
        return try await CannedResponseRepository.save(try req.content.decode(CannedResponseRequest.self), id: id, by: try req.current.user.id, req: req)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self), try await CannedResponseRepository.find(id, on: req.store.sql) != nil else {
            throw Problem.notFound("The canned response")
        }
        try await req.store.write { db in try await CannedResponseRepository.delete(id, on: req.store.sql(db)) }
        return .noContent
    }

    /// The response's text filled in for one case (the composer inserts it; nothing is sent).
    @Sendable func render(req: Request) async throws -> RenderedCannedResponse {
        try req.authorize(.readInternal)
        let record = try await req.readableCase()
        guard let id = req.parameters.get("id", as: UUID.self), let canned = try await CannedResponseRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The canned response")
        }
        return RenderedCannedResponse(text: try await CannedResponseRepository.fill(canned.body, for: record, agent: try req.current.user.name, req: req))
    }
}

/// A canned response as the API shows it.
struct CannedResponseView: Content, Equatable {
    var id: UUID
    var title: String
    var body: String
    var language: String
    var updatedAt: Date
    /// What it changes on the case when applied as a macro.
    var actions: MacroActions?

    enum CodingKeys: String, CodingKey {
        case id, title, body, language, actions
        case updatedAt = "updated_at"
    }
}

/// Body of creating or changing a canned response.
struct CannedResponseRequest: Content {
    var title: String
    var body: String
    var language: String?
    var actions: MacroActions?
}

/// A canned response filled in for a case.
struct RenderedCannedResponse: Content {
    var text: String
}
