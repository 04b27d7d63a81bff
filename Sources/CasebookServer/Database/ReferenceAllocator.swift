import Fluent
import SQLKit

/// Hands out case numbers from a counter row.
///
/// `UPDATE … RETURNING` is atomic on both databases, so several app instances never get the same
/// number. The number is taken in the case's own transaction; a rolled-back create leaves no gap on
/// SQLite and may leave one on PostgreSQL, which references tolerate.
struct ReferenceAllocator: Sendable {
    static let counterName = "case_number"
    let start: Int

    func next(on database: any Database) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { throw DatabaseNotSQL() }
        let row = try await sql.raw("UPDATE counters SET value = value + 1 WHERE name = \(bind: Self.counterName) RETURNING value").first()
        if let row { return try row.decode(column: "value", as: Int.self) }
        // First case ever: create the counter. Two instances racing here both fail but one;
        // the loser's unique-key error rolls back its request, and the client may retry.
        try await CounterModel(name: Self.counterName, value: start).create(on: database)
        return start
    }
}

/// Casebook needs an SQL database (SQLite or PostgreSQL).
struct DatabaseNotSQL: Error {}
