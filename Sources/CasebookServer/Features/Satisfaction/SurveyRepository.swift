import CasebookCore
import Foundation
import SQLKit

/// Satisfaction surveys: one per case, found by case or by the token in the customer's link, and answered once.
enum SurveyRepository {
    /// A case's survey as agents see it.
    struct Stored: Sendable {
        let score: Int?
        let comment: String?
        let answeredAt: Date?
        let sentAt: Date
    }

    /// A survey as the customer's link opens it.
    struct Linked: Sendable {
        let caseNumber: Int
        let subject: String
        let language: String
        let score: Int?
    }

    /// A solved case whose requester has not been asked yet.
    struct Due: Sendable {
        let caseID: UUID
        let number: Int
        let subject: String
        let email: String
        let name: String
        let language: String
    }

    static func token(caseID: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("token").from("satisfaction_surveys").where("case_id", .equal, caseID).first()?
            .decode(column: "token", as: String.self)
    }

    /// Adds the case's survey unless it has one already.
    static func insert(for record: CaseRecord, token: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "satisfaction_surveys")
            .columns("id", "case_id", "token", "requester_id", "agent_id", "group_id", "organisation_id", "sent_at")
            .values(SQLBind(RecordID.make()), SQLBind(record.id), SQLBind(token), SQLBind(record.requesterID), SQLBind(record.assigneeID),
                    SQLBind(record.groupID), SQLBind(record.organisationID), SQLBind(now))
            .ignoringConflicts(with: ["case_id"]).run()
    }

    static func find(caseID: UUID, on sql: any SQLDatabase) async throws -> Stored? {
        try await sql.select().columns("score", "comment", "answered_at", "sent_at").from("satisfaction_surveys")
            .where("case_id", .equal, caseID).first().map { row in
                Stored(score: try row.decode(column: "score", as: Int?.self), comment: try row.decode(column: "comment", as: String?.self),
                       answeredAt: try row.decode(column: "answered_at", as: Date?.self), sentAt: try row.decode(column: "sent_at", as: Date.self))
            }
    }

    static func find(token: String, on sql: any SQLDatabase) async throws -> Linked? {
        try await sql.raw("""
            SELECT c.number, c.subject, u.language, s.score FROM satisfaction_surveys s JOIN cases c ON c.id = s.case_id
            JOIN users u ON u.id = s.requester_id WHERE s.token = \(bind: token)
            """).first().map { row in
                Linked(caseNumber: try row.decode(column: "number", as: Int.self), subject: try row.decode(column: "subject", as: String.self),
                       language: try row.decode(column: "language", as: String.self), score: try row.decode(column: "score", as: Int?.self))
            }
    }

    static func exists(token: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("satisfaction_surveys").where("token", .equal, token).first() != nil
    }

    /// Records an answer if none was recorded yet; returns the case answered, or nil when it had been already.
    static func recordAnswer(token: String, score: Int, comment: String?, via channel: String, at now: Date,
                             on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            UPDATE satisfaction_surveys SET score = \(bind: score), comment = \(bind: comment),
            answered_at = \(bind: now), answered_via = \(bind: channel) WHERE token = \(bind: token) AND answered_at IS NULL RETURNING case_id
            """).first()?.decode(column: "case_id", as: UUID.self)
    }

    /// Customers' cases solved since a moment that have no survey yet.
    static func due(solvedSince: Date, limit: Int, on sql: any SQLDatabase) async throws -> [Due] {
        try await sql.raw("""
            SELECT c.id, c.number, c.subject, u.email, u.name, u.language FROM cases c JOIN users u ON u.id = c.requester_id
            WHERE c.status IN ('solved', 'closed') AND u.role = 'customer' AND c.solved_at >= \(bind: solvedSince)
            AND NOT EXISTS (SELECT 1 FROM satisfaction_surveys s WHERE s.case_id = c.id) LIMIT \(bind: limit)
            """).all().map { row in
                Due(caseID: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                    subject: try row.decode(column: "subject", as: String.self), email: try row.decode(column: "email", as: String.self),
                    name: try row.decode(column: "name", as: String.self), language: try row.decode(column: "language", as: String.self))
            }
    }

    /// How many surveys went out in `start..<end`.
    static func sentCount(from start: Date, to end: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM satisfaction_surveys WHERE sent_at >= \(bind: start) AND sent_at < \(bind: end)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The surveys answered in `start..<end`, with the names of the agent, group and organisation they are about.
    static func answers(from start: Date, to end: Date, on sql: any SQLDatabase) async throws -> [SatisfactionReport.Answer] {
        let rows = try await sql.raw("""
            SELECT s.score, s.answered_at, s.agent_id, s.group_id, s.organisation_id, u.name AS agent_name, g.name AS group_name, o.name AS organisation_name
            FROM satisfaction_surveys s LEFT JOIN users u ON u.id = s.agent_id LEFT JOIN groups g ON g.id = s.group_id
            LEFT JOIN organisations o ON o.id = s.organisation_id
            WHERE s.answered_at IS NOT NULL AND s.answered_at >= \(bind: start) AND s.answered_at < \(bind: end)
            """).all()
        func named(_ row: any SQLRow, _ id: String, _ name: String, none: String) throws -> (key: String, name: String) {
            (try row.decode(column: id, as: UUID?.self)?.uuidString.lowercased() ?? "none", try row.decode(column: name, as: String?.self) ?? none)
        }
        return try rows.map { row in
            SatisfactionReport.Answer(score: try row.decode(column: "score", as: Int.self), answeredAt: try row.decode(column: "answered_at", as: Date.self),
                                      agent: try named(row, "agent_id", "agent_name", none: "(unassigned)"),
                                      group: try named(row, "group_id", "group_name", none: "(no group)"),
                                      organisation: try named(row, "organisation_id", "organisation_name", none: "(no organisation)"))
        }
    }
}
