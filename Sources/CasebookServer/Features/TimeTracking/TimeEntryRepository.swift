import CasebookCore
import Foundation
import SQLKit

/// The `time_entries` table: time logged on cases, and its totals by organisation, contract or agent.
enum TimeEntryRepository {
    static func add(_ entry: TimeEntry, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "time_entries").columns("id", "case_id", "message_id", "user_id", "minutes", "note", "at")
            .values(SQLBind(entry.id), SQLBind(entry.caseID), SQLBind(entry.messageID), SQLBind(entry.userID), SQLBind(entry.minutes),
                    SQLBind(entry.note), SQLBind(entry.at)).run()
    }

    static func entries(of caseID: UUID, on sql: any SQLDatabase) async throws -> [TimeEntry] {
        try await sql.select().columns("id", "case_id", "message_id", "user_id", "minutes", "note", "at").from("time_entries")
            .where("case_id", .equal, caseID).orderBy("at").all().map {
                TimeEntry(id: try $0.decode(column: "id", as: UUID.self), caseID: try $0.decode(column: "case_id", as: UUID.self),
                          messageID: try $0.decode(column: "message_id", as: UUID?.self), userID: try $0.decode(column: "user_id", as: UUID.self),
                          minutes: try $0.decode(column: "minutes", as: Int.self), note: try $0.decode(column: "note", as: String?.self),
                          at: try $0.decode(column: "at", as: Date.self))
            }
    }

    /// (Sums are cast back to whole numbers: PostgreSQL's sum of a bigint is a numeric.)
    static func total(of caseID: UUID, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS n FROM time_entries WHERE case_id = \(bind: caseID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// Minutes logged in [from, to), summed by the case's organisation, the organisation's latest contract, or the agent
    /// who logged them; most minutes first. Time on cases without one is under "(none)".
    static func report(from: Date, to: Date, by grouping: TimeTotal.Grouping, on sql: any SQLDatabase) async throws -> [TimeTotal] {
        let name: String = switch grouping {
        case .organisation: "COALESCE(o.name, '(none)')"
        case .agent: "COALESCE(u.name, '(none)')"
        case .contract: """
            COALESCE((SELECT k.name FROM contracts k WHERE k.organisation_id = c.organisation_id ORDER BY k.starts_on DESC LIMIT 1), '(none)')
            """
        }
        return try await sql.raw("""
            SELECT \(unsafeRaw: name) AS name, CAST(SUM(t.minutes) AS BIGINT) AS minutes, COUNT(DISTINCT t.case_id) AS cases
            FROM time_entries t JOIN cases c ON c.id = t.case_id LEFT JOIN organisations o ON o.id = c.organisation_id
            LEFT JOIN users u ON u.id = t.user_id
            WHERE t.at >= \(bind: from) AND t.at < \(bind: to)
            GROUP BY 1 ORDER BY 2 DESC, 1
            """).all().map {
                TimeTotal(name: try $0.decode(column: "name", as: String.self), minutes: try $0.decode(column: "minutes", as: Int.self),
                          cases: try $0.decode(column: "cases", as: Int.self))
            }
    }
}
