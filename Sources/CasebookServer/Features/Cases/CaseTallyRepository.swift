import Foundation
import SQLKit

/// How many cases stand in each status, from `case_tallies`, which triggers keep (see `AddCaseTallies` for SQLite and
/// `AddPostgresCaseTallies`): the dashboard and the queue counts read a few dozen rows instead of every open case.
enum CaseTallyRepository {
    /// The cases of one status that share whether anyone holds them and their group.
    struct Tally: Equatable, Sendable {
        let status: String
        let unassigned: Bool
        let groupID: UUID?
        let cases: Int
    }

    /// The tallies of these statuses. SQLite keeps one row per key; PostgreSQL appends a row per change until the next
    /// `compact`, so the rows are summed by key.
    static func tallies(statuses: [String], on sql: any SQLDatabase) async throws -> [Tally] {
        try await sql.raw("""
            SELECT status, unassigned, group_key, SUM(cases) AS cases FROM case_tallies WHERE status IN (\(binds: statuses))
            GROUP BY status, unassigned, group_key HAVING SUM(cases) <> 0
            """).all().map { row in
            let group = try row.decode(column: "group_key", as: String.self)
            return Tally(status: try row.decode(column: "status", as: String.self), unassigned: try row.decode(column: "unassigned", as: Int.self) != 0,
                         groupID: group.isEmpty ? nil : UUID(uuidString: group), cases: try row.decode(column: "cases", as: Int.self))
        }
    }

    /// Folds PostgreSQL's appended change rows into one row per key; returns how many rows there were. Safe while
    /// cases are written and while another instance compacts: the statement sees the rows committed before it began,
    /// takes exactly those out, and puts their sums back, in one step.
    @discardableResult
    static func compact(on sql: any SQLDatabase) async throws -> Int {
        guard sql.dialect.name == "postgresql" else { return 0 }
        return try await sql.raw("""
            WITH taken AS (DELETE FROM case_tallies RETURNING status, unassigned, group_key, cases),
            folded AS (INSERT INTO case_tallies (status, unassigned, group_key, cases)
                SELECT status, unassigned, group_key, SUM(cases) FROM taken GROUP BY 1, 2, 3 HAVING SUM(cases) <> 0)
            SELECT COUNT(*) AS n FROM taken
            """).first()?.decode(column: "n", as: Int.self) ?? 0
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
