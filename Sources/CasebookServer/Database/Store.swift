import CasebookCore
import Fluent
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

    var sql: any SQLDatabase { sql(database) }

    /// The SQL view of a database handle (Casebook only runs on SQL databases).
    func sql(_ db: any Database) -> any SQLDatabase { db as! any SQLDatabase }

    /// Runs `body` in one write transaction; nothing it wrote survives if it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run(on: database, body)
    }
}
