import SQLKit

/// Hands out case numbers from a counter row.
///
/// `UPDATE … RETURNING` is atomic on both databases, so several app instances never get the same
/// number. The row exists from the first migration, so there is no insert race; the number is taken
/// in the case's own transaction, so a rolled-back create leaves no gap on SQLite and may leave one
/// on PostgreSQL (after the row lock is released), which references tolerate.
struct ReferenceAllocator: Sendable {
    static let counterName = "case_number"
    let start: Int

    func next(on sql: any SQLDatabase) async throws -> Int {
        guard let number = try await CaseRepository.takeNumber(counter: Self.counterName, start: start, on: sql) else { throw MissingCounter() }
        return number
    }
}

/// The case counter row is made by a migration; without it the schema is incomplete.
struct MissingCounter: Error {}
