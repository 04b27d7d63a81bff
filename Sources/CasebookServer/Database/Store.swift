import CasebookCore
import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

/// The database with the rules Casebook applies to every write: one gate and one transaction.
struct Store: Sendable {
    let database: any Database
    let gate: WriteGate
    let search: any SearchIndex

    init(database: any Database, gate: WriteGate) {
        self.database = database
        self.gate = gate
        self.search = SearchDialect.index(for: database as! any SQLDatabase)
    }

    /// Inside a SQLite write (the gate sets it) or a `reading` block, that connection's SQL run inline,
    /// without a thread hop per statement.
    @TaskLocal static var inlineConnection: InlineSQLite?

    var sql: any SQLDatabase { sql(database) }

    /// The SQL view of a database handle (Casebook only runs on SQL databases); inside a SQLite write, the writer's.
    func sql(_ db: any Database) -> any SQLDatabase { Self.inlineConnection ?? db as! any SQLDatabase }

    /// Runs several reads on one connection, inline on SQLite (see `InlineSQLite`); `body` must not write.
    func reading<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard gate.isEnabled else { return try await body(database) }
        return try await database.withConnection { db in
            guard let sqlite = db as? any SQLDatabase & SQLiteDatabase, let inline = await InlineSQLite.attach(to: sqlite) else {
                return try await body(db)
            }
            return try await Self.$inlineConnection.withValue(inline) { try await body(db) }
        }
    }

    /// Runs `body` in one write transaction; nothing it wrote survives if it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run(on: database, body)
    }
}
