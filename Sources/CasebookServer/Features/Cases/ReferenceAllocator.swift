import SQLKit

/// Hands out case numbers from a counter row.
///
/// `UPDATE … RETURNING` is atomic on both databases, so several app instances never get the same
/// number. The row exists from the first migration, so there is no insert race. On SQLite the number is
/// taken in the case's own transaction (one writer: nothing waits for it, and a rolled-back create leaves
/// no gap). On PostgreSQL a number taken there kept the counter row locked until the create committed, so
/// concurrent creates took turns at the commit's pace (265 a second with 4 clients): there it is taken
/// ahead, in a statement of its own, and a create that then fails leaves a gap, which references tolerate.
struct ReferenceAllocator: Sendable {
    static let counterName = "case_number"
    let start: Int

    func next(on sql: any SQLDatabase) async throws -> Int {
        guard let number = try await CaseRepository.takeNumber(counter: Self.counterName, start: start, on: sql) else { throw MissingCounter() }
        return number
    }

    /// A number taken outside any transaction where the database lets concurrent creates wait on the counter
    /// (PostgreSQL), or nil where it is better taken inside the create's own write (SQLite).
    func ahead(on store: Store) async throws -> Int? {
        guard store.sql.dialect.name == "postgresql" else { return nil }
        return try await next(on: store.sql)
    }
}

/// The case counter row is made by a migration; without it the schema is incomplete.
struct MissingCounter: Error {}
