import CasebookCore
import Foundation
import Vapor

/// `/privacy`: requests about one person's data (admins): find them, see what Casebook holds, hand them a copy of
/// everything, or anonymise them. Every export and anonymisation is on the audit log.
struct PrivacyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let privacy = routes.grouped("privacy")
        privacy.get(use: list)
        privacy.get(":id", use: show)
        privacy.get(":id", "export", use: export)
        privacy.post(":id", "anonymise", use: anonymise)
    }

    /// One person as a privacy request sees them.
    struct PersonView: Content {
        var id: UUID
        var name: String
        var email: String
        var role: String
        var organisation: String?
        var phone: String?
        var cases: Int
        var anonymised: Bool
        var createdAt: Date

        enum CodingKeys: String, CodingKey { case id, name, email, role, organisation, phone, cases, anonymised, createdAt = "created_at" }

        init(_ person: PersonDataRepository.Person, cases: Int) {
            (id, name, email, role, organisation, phone) = (person.id, person.name, person.email, person.role, person.organisation, person.phone)
            self.cases = cases
            anonymised = PersonalData.isAnonymous(person.email)
            createdAt = person.createdAt
        }
    }

    struct AnonymiseInput: Content {
        var confirm: String?
    }

    @Sendable func list(req: Request) async throws -> [PersonView] {
        try req.authorize(.manageSecurity)
        let text = String((req.query[String.self, at: "q"] ?? "").prefix(200))
        return try await PersonDataRepository.search(text, limit: 50, on: req.store.sql).map { PersonView($0.person, cases: $0.cases) }
    }

    @Sendable func show(req: Request) async throws -> PersonView {
        try req.authorize(.manageSecurity)
        let id = try Self.id(req)
        let sql = req.store.sql
        guard let person = try await PersonDataRepository.person(id, on: sql) else { throw DomainError.notFound("Person") }
        return PersonView(person, cases: try await PersonDataRepository.caseCount(of: id, on: sql))
    }

    /// A ZIP of everything about the person; `internal=true` adds the internal notes on their cases.
    @Sendable func export(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        let withNotes = req.query[String.self, at: "internal"] == "true"
        guard let (name, data) = try await ExportPerson(services: req.casebook).archive(of: try Self.id(req), internalNotes: withNotes) else {
            throw DomainError.notFound("Person")
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        headers.add(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.add(name: .cacheControl, value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    @Sendable func anonymise(req: Request) async throws -> AnonymiseOutcome {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(AnonymiseInput.self)
        return try await AnonymisePerson(services: req.casebook).run(try Self.id(req), confirmation: input.confirm ?? "")
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("Person") }
        return id
    }
}

extension AnonymiseOutcome: Content {}
