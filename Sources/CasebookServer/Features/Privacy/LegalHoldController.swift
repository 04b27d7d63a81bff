import CasebookCore
import Foundation
import Vapor

/// `/legal-holds`: cases kept whatever the retention rules say and however a person asks to be forgotten — every case
/// of an organisation, or one case — until the hold is lifted (admins).
struct LegalHoldController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let holds = routes.grouped("legal-holds")
        holds.get(use: list)
        holds.post(use: create)
        holds.get(":id", use: show)
        holds.delete(":id", use: remove)
    }

    struct HoldView: Content {
        var id: UUID
        var organisationID: UUID?
        var caseReference: String?
        var reason: String
        var createdBy: UUID?
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, reason, organisationID = "organisation_id", caseReference = "case_reference", createdBy = "created_by", createdAt = "created_at"
        }
    }

    struct HoldInput: Content {
        var organisationID: String?
        var caseReference: String?
        var reason: String?

        enum CodingKeys: String, CodingKey { case reason, organisationID = "organisation_id", caseReference = "case_reference" }
    }

    @Sendable func list(req: Request) async throws -> [HoldView] {
        try req.authorize(.manageSecurity)
        var views: [HoldView] = []
        for hold in try await RetentionRepository.holds(on: req.store.sql) { views.append(try await view(hold, req)) }
        return views
    }

    @Sendable func show(req: Request) async throws -> HoldView {
        try req.authorize(.manageSecurity)
        return try await view(try await Self.find(req), req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(HoldInput.self)
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else { throw DomainError.invalid("reason", "must say why, in 1 to 500 characters") }
        let organisationText = (input.organisationID ?? "").trimmingCharacters(in: .whitespaces)
        let caseText = (input.caseReference ?? "").trimmingCharacters(in: .whitespaces)
        guard organisationText.isEmpty != caseText.isEmpty else {
            throw DomainError.invalid("case_reference", "or organisation_id must be given, and not both: a hold covers one organisation or one case")
        }
        var hold = LegalHold(id: RecordID.make(), organisationID: nil, caseID: nil, reason: reason, createdBy: try? req.current.user.id, createdAt: req.now)
        if !organisationText.isEmpty {
            guard let id = UUID(uuidString: organisationText), try await OrganisationModel.find(id, on: req.db) != nil else {
                throw DomainError.invalid("organisation_id", "is not an organisation's id")
            }
            hold.organisationID = id
        } else {
            do {
                hold.caseID = try await CaseLookup.find(caseText, prefix: req.casebook.configuration.referencePrefix, on: req.store.sql).id
            } catch DomainError.notFound {
                throw DomainError.invalid("case_reference", "names no case")
            }
        }
        let created = hold
        let store = req.store
        try await store.write { db in try await RetentionRepository.insert(created, on: store.sql(db)) }
        return try await view(created, req).encodeResponse(status: .created, for: req)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageSecurity)
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await RetentionRepository.deleteHold(id, on: store.sql(db)) }
        return .noContent
    }

    private func view(_ hold: LegalHold, _ req: Request) async throws -> HoldView {
        var reference: String?
        if let caseID = hold.caseID, let found = try await CaseRepository.find(id: caseID, on: req.store.sql) {
            reference = Reference(prefix: req.casebook.configuration.referencePrefix, number: found.number).description
        }
        return HoldView(id: hold.id, organisationID: hold.organisationID, caseReference: reference, reason: hold.reason,
                        createdBy: hold.createdBy, createdAt: hold.createdAt)
    }

    static func find(_ req: Request) async throws -> LegalHold {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let found = try await RetentionRepository.hold(id, on: req.store.sql) else { throw DomainError.notFound("Legal hold") }
        return found
    }
}
