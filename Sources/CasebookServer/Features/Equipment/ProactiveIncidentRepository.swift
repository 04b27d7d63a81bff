import CasebookCore
import Foundation
import SQLKit

/// Incidents Casebook raised itself (monitoring, maintenance): the raw material of "avoided outages".
enum ProactiveIncidentRepository {
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
