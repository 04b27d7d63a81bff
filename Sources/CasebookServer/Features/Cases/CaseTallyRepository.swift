import Foundation
import SQLKit

/// How many cases stand in each status, from `case_tallies`, which triggers keep on SQLite (see `AddCaseTallies`): the
/// dashboard and the queue counts read a few dozen rows instead of every open case.
enum CaseTallyRepository {
    /// The cases of one status that share whether anyone holds them and their group.
    struct Tally: Equatable, Sendable {
        let status: String
        let unassigned: Bool
        let groupID: UUID?
        let cases: Int
    }

    /// The tallies of these statuses, or nil where the database keeps none (PostgreSQL counts the cases instead).
    static func tallies(statuses: [String], on sql: any SQLDatabase) async throws -> [Tally]? {
        guard sql.dialect.name == "sqlite" else { return nil }
        return try await sql.raw("""
            SELECT status, unassigned, group_key, cases FROM case_tallies WHERE status IN (\(binds: statuses)) AND cases <> 0
            """).all().map { row in
            let group = try row.decode(column: "group_key", as: String.self)
            return Tally(status: try row.decode(column: "status", as: String.self), unassigned: try row.decode(column: "unassigned", as: Int.self) != 0,
                         groupID: group.isEmpty ? nil : UUID(uuidString: group), cases: try row.decode(column: "cases", as: Int.self))
        }
    }

    /// The tallies counted afresh from the cases themselves, in the same shape (for checks that the triggers agree).
    static func counted(statuses: [String], on sql: any SQLDatabase) async throws -> [Tally] {
        try await sql.raw("""
            SELECT status, CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END AS unassigned, group_id, COUNT(*) AS n FROM cases
            WHERE status IN (\(binds: statuses)) GROUP BY 1, 2, 3
            """).all().map { row in
            Tally(status: try row.decode(column: "status", as: String.self), unassigned: try row.decode(column: "unassigned", as: Int.self) != 0,
                  groupID: try row.decode(column: "group_id", as: UUID?.self), cases: try row.decode(column: "n", as: Int.self))
        }
    }
}
