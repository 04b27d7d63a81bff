import CasebookCore
import Foundation
import Vapor

/// `/retention-rules`: how long solved cases are kept (admins); each rule can be tried as a dry run or run now, and
/// active rules run every night at 03:00 UTC.
struct RetentionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rules = routes.grouped("retention-rules")
        rules.get(use: list)
        rules.post(use: create)
        rules.get(":id", use: show)
        rules.patch(":id", use: update)
        rules.delete(":id", use: remove)
        rules.post(":id", "run", use: run)
    }

    struct RuleView: Content {
        var id: UUID
        var name: String
        var months: Int
        var action: RetentionAction
        var organisationID: UUID?
        var active: Bool
        var lastRunAt: Date?
        var lastRunResult: String?
        var createdAt: Date
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, name, months, action, active, organisationID = "organisation_id", lastRunAt = "last_run_at"
            case lastRunResult = "last_run_result", createdAt = "created_at", updatedAt = "updated_at"
        }

        init(_ s: StoredRetentionRule) {
            (id, name, months, action, organisationID, active) = (s.rule.id, s.rule.name, s.rule.months, s.rule.action, s.rule.organisationID, s.rule.active)
            (lastRunAt, lastRunResult, createdAt, updatedAt) = (s.lastRunAt, s.lastRunResult, s.createdAt, s.updatedAt)
        }
    }

    /// A rule as typed; on an update, absent members keep their values (an empty organisation means every case).
    struct RuleInput: Content {
        var name: String?
        var months: Int?
        var action: String?
        var organisationID: String?
        var active: Bool?

        enum CodingKeys: String, CodingKey { case name, months, action, active, organisationID = "organisation_id" }

        func applied(to rule: RetentionRule) throws -> RetentionRule {
            var rule = rule
            if let name { rule.name = name }
            if let months { rule.months = months }
            if let action {
                guard let known = RetentionAction(rawValue: action) else { throw DomainError.invalid("action", "must be anonymise or delete") }
                rule.action = known
            }
            if let organisationID {
                if organisationID.isEmpty { rule.organisationID = nil } else {
                    guard let id = UUID(uuidString: organisationID) else { throw DomainError.invalid("organisation_id", "is not an organisation's id") }
                    rule.organisationID = id
                }
            }
            if let active { rule.active = active }
            return try rule.validated()
        }
    }

    struct RunInput: Content {
        var dryRun: Bool?

        enum CodingKeys: String, CodingKey { case dryRun = "dry_run" }
    }

    @Sendable func list(req: Request) async throws -> [RuleView] {
        try req.authorize(.manageSecurity)
        return try await RetentionRepository.rules(on: req.store.sql).map(RuleView.init)
    }

    @Sendable func show(req: Request) async throws -> RuleView {
        try req.authorize(.manageSecurity)
        return RuleView(try await Self.find(req))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(RuleInput.self)
        guard input.name?.isEmpty == false else { throw DomainError.invalid("name", "is required") }
        guard input.months != nil else { throw DomainError.invalid("months", "is required") }
        let rule = try input.applied(to: RetentionRule(id: RecordID.make(), name: "", months: 0, action: .anonymise, organisationID: nil, active: true))
        let stored = StoredRetentionRule(rule: rule, lastRunAt: nil, lastRunResult: nil, createdAt: req.now, updatedAt: req.now)
        try await save(stored, req)
        return try await RuleView(stored).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> RuleView {
        try req.authorize(.manageSecurity)
        var stored = try await Self.find(req)
        stored.rule = try req.content.decode(RuleInput.self).applied(to: stored.rule)
        stored.updatedAt = req.now
        try await save(stored, req)
        return RuleView(stored)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageSecurity)
        let id = try await Self.find(req).rule.id
        let store = req.store
        try await store.write { db in try await RetentionRepository.deleteRule(id, on: store.sql(db)) }
        return .noContent
    }

    /// Runs the rule now; with `dry_run` (the default, in the body or the query) only says what it would do.
    @Sendable func run(req: Request) async throws -> RetentionOutcome {
        try req.authorize(.manageSecurity)
        let stored = try await Self.find(req)
        let asked = req.query[String.self, at: "dry_run"].map { $0 != "false" }
        let dryRun = try asked ?? (req.body.data == nil ? true : req.content.decode(RunInput.self).dryRun ?? true)
        return try await ApplyRetention(services: req.casebook).run(stored, dryRun: dryRun)
    }

    private func save(_ stored: StoredRetentionRule, _ req: Request) async throws {
        if let organisation = stored.rule.organisationID {
            guard try await OrganisationModel.find(organisation, on: req.db) != nil else {
                throw DomainError.invalid("organisation_id", "is not an organisation's id")
            }
        }
        let store = req.store
        try await store.write { db in try await RetentionRepository.save(stored, on: store.sql(db)) }
    }

    static func find(_ req: Request) async throws -> StoredRetentionRule {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let found = try await RetentionRepository.rule(id, on: req.store.sql) else { throw DomainError.notFound("Retention rule") }
        return found
    }
}

extension RetentionOutcome: Content {}
