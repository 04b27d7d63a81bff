import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Records a technician's visit: checks the answers against the checklist, signs the work order and,
/// when a check failed, opens a follow-up incident on the asset (raised before any customer noticed).
struct CompleteWorkOrder {
    let services: CasebookServices

    func run(_ id: UUID, _ input: WorkOrderCompletion, by current: CurrentActor, on db: any Database) async throws -> UUID {
        let sql = services.store.sql(db)
        let now = services.clock()
        let signature = try Validate.name(input.signature, field: "signature")
        // Taking the row's write lock first means two technicians cannot both complete it.
        guard let row = try await sql.raw("""
            UPDATE work_orders SET status = status WHERE id = \(bind: id) RETURNING status, checklist, asset_id, organisation_id, due_on
            """).first() else { throw DomainError.notFound("The work order") }
        guard try row.decode(column: "status", as: String.self) == "open" else { throw DomainError.conflict("This work order is already completed.") }
        let items = try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8))
        let result = try Checklist.evaluate(items, answers: input.answers)
        let assetID = try row.decode(column: "asset_id", as: UUID.self)
        var caseID: UUID?
        if result == .failed {
            caseID = try await openFollowUp(assetID: assetID, organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                                            items: items, answers: input.answers, due: try row.decode(column: "due_on", as: String.self),
                                            by: current, on: db, now: now)
        }
        try await sql.update("work_orders")
            .set("status", to: "done").set("answers", to: try MaintenanceRows.json(input.answers)).set("result", to: result.rawValue)
            .set("completed_by", to: current.user.id).set("completed_at", to: now).set("signature", to: signature).set("case_id", to: caseID)
            .where("id", .equal, id).run()
        return id
    }

    private func openFollowUp(assetID: UUID, organisationID: UUID, items: [ChecklistItem], answers: [ChecklistAnswer], due: String,
                              by current: CurrentActor, on db: any Database, now: Date) async throws -> UUID {
        let sql = services.store.sql(db)
        guard let asset = try await AssetRepository.find(assetID, on: sql) else { throw DomainError.notFound("The asset") }
        let name = try asset.decode(column: "name", as: String.self)
        let criticality = AssetCriticality(rawValue: try asset.decode(column: "criticality", as: String.self)) ?? .normal
        let texts = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.text) })
        let failed = answers.filter { $0.outcome == .fail }.map { "- \(texts[$0.itemID] ?? $0.itemID): \($0.note ?? "")" }
        var input = CaseCreateRequest(subject: String("Failed inspection: \(name)".prefix(250)),
                                      description: "The maintenance visit due \(due) found:\n" + failed.joined(separator: "\n"))
        input.organisationID = organisationID
        input.priority = criticality == .missionCritical ? .urgent : criticality == .high ? .high : .normal
        input.productID = try asset.decode(column: "product_id", as: UUID?.self)
        input.productVersionID = try asset.decode(column: "product_version_id", as: UUID?.self)
        input.channel = .system
        input.tags = ["maintenance"]
        let record = try await OpenCase(services: services).run(input, by: current, on: db)
        try await AssetRepository.linkCase(assetID: assetID, caseID: record.id, at: now, on: sql)
        try await ProactiveIncidents.record(caseID: record.id, source: "maintenance", organisationID: organisationID, assetID: assetID, at: now, on: sql)
        return record.id
    }
}

/// Incidents Casebook raised itself (monitoring, maintenance): the raw material of "avoided outages".
enum ProactiveIncidents {
    static func record(caseID: UUID, source: String, organisationID: UUID?, assetID: UUID?, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "proactive_incidents").columns("case_id", "source", "organisation_id", "asset_id", "raised_at")
            .values(SQLBind(caseID), SQLBind(source), SQLBind(organisationID), SQLBind(assetID), SQLBind(now))
            .ignoringConflicts(with: ["case_id"]).run()
    }

    struct Avoided: Sendable {
        let caseID: UUID
        let number: Int
        let subject: String
        let source: String
        let raisedAt: Date
    }

    /// Proactive incidents of an organisation that no customer reported: no case from a customer about the same
    /// asset (or, without an asset, from the same organisation) opened from a day before the incident until it was solved.
    static func avoided(organisationID: UUID, since: Date, now: Date, on sql: any SQLDatabase) async throws -> [Avoided] {
        let incidents = try await sql.raw("""
            SELECT p.case_id, p.source, p.raised_at, p.asset_id, c.number, c.subject, c.solved_at FROM proactive_incidents p
            JOIN cases c ON c.id = p.case_id WHERE p.organisation_id = \(bind: organisationID) AND p.raised_at >= \(bind: since)
            ORDER BY p.raised_at DESC LIMIT 1000
            """).all()
        // Dates compare here rather than in SQL: the two databases store times differently.
        let reports = try await sql.raw("""
            SELECT r.id, r.created_at, l.asset_id FROM cases r JOIN users u ON u.id = r.requester_id
            LEFT JOIN asset_cases l ON l.case_id = r.id
            WHERE u.role = 'customer' AND r.organisation_id = \(bind: organisationID) AND r.created_at >= \(bind: since.addingTimeInterval(-86_400))
            """).all().map { row in
                (id: try row.decode(column: "id", as: UUID.self), at: try row.decode(column: "created_at", as: Date.self),
                 asset: try row.decode(column: "asset_id", as: UUID?.self))
            }
        var result: [Avoided] = []
        for row in incidents {
            let caseID = try row.decode(column: "case_id", as: UUID.self)
            let raised = try row.decode(column: "raised_at", as: Date.self)
            let asset = try row.decode(column: "asset_id", as: UUID?.self)
            let until = try row.decode(column: "solved_at", as: Date?.self) ?? now
            let reported = reports.contains { report in
                report.id != caseID && report.at >= raised.addingTimeInterval(-86_400) && report.at <= until && (asset == nil || report.asset == asset)
            }
            if !reported {
                result.append(Avoided(caseID: caseID, number: try row.decode(column: "number", as: Int.self),
                                      subject: try row.decode(column: "subject", as: String.self),
                                      source: try row.decode(column: "source", as: String.self), raisedAt: raised))
            }
        }
        return result
    }
}
