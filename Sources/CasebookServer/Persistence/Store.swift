import CasebookCore
import Fluent
import FluentSQLiteDriver
import Foundation
import NIOPosix
import SQLKit

/// The database with the rules Casebook applies to every write: one gate and one transaction.
///
/// Reads use the connection of the event loop the caller runs on, so reads on different loops never wait for each
/// other or for a write. On SQLite, writes use a connection of their own (`DatabaseSetup.sqliteWriter`): with one
/// connection per event loop, a read that shared the writer's connection waited for the writer's commit (its fsync).
struct Store: Sendable {
    private let databases: Databases
    private let logger: Logger
    private let readerID: DatabaseID?
    /// The reads' handle for each event loop, made once: `store.sql` is asked for many times a request.
    private let readers: [ObjectIdentifier: any Database]
    /// The database writes go through (on SQLite, the writer's own connection; on PostgreSQL, the usual pool).
    let writer: any Database
    let gate: WriteGate
    let search: any SearchIndex
    /// Wakes the watchers of the cases a write changed, once it has committed.
    let caseChanges = CaseChanges()

    init(databases: Databases, readerID: DatabaseID?, writerID: DatabaseID?, logger: Logger, gate: WriteGate) {
        self.databases = databases
        self.logger = logger
        self.readerID = readerID
        self.gate = gate
        var readers: [ObjectIdentifier: any Database] = [:]
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            readers[ObjectIdentifier(eventLoop)] = databases.database(readerID, logger: logger, on: eventLoop)!
        }
        self.readers = readers
        // The writer stays on one event loop: the gate runs one write at a time, so one connection serves it.
        self.writer = databases.database(writerID ?? readerID, logger: logger, on: databases.eventLoopGroup.any())!
        self.search = SearchDialect.index(for: writer as! any SQLDatabase)
    }

    /// A database handle for reads, on the caller's event loop when it runs on one.
    var database: any Database {
        if let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop, let reader = readers[ObjectIdentifier(eventLoop)] { return reader }
        return databases.database(readerID, logger: logger, on: databases.eventLoopGroup.any())!
    }

    /// Inside a SQLite write (the gate sets it) or a `reading` block, that connection's SQL run inline,
    /// without a thread hop per statement.
    @TaskLocal static var inlineConnection: InlineSQLite?

    var sql: any SQLDatabase { sql(database) }

    /// The SQL view of a database handle (Casebook only runs on SQL databases); inside a SQLite write, the writer's.
    func sql(_ db: any Database) -> any SQLDatabase { Self.inlineConnection ?? db as! any SQLDatabase }

    /// Asks the database a trivial question; throws when it cannot answer.
    func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS ok").first()
    }

    /// Runs several reads on one connection, inline on SQLite (see `InlineSQLite`); `body` must not write.
    func reading<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = self.database
        guard gate.isEnabled else { return try await body(database) }
        return try await database.withConnection { db in
            guard let inline = await InlineSQLite.attach(to: db, statements: gate.statements) else {
                return try await body(db)
            }
            return try await Self.$inlineConnection.withValue(inline) { try await body(db) }
        }
    }

    /// Runs `body` in one write transaction; nothing it wrote survives if it throws.
    func write<T: Sendable>(fileID: String = #fileID, line: Int = #line,
                            _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let touched = CaseChanges.Collector()
        let result = try await gate.run(on: writer, origin: "\(fileID):\(line)") { db in
            try await CaseChanges.$collector.withValue(touched) { try await body(db) }
        }
        caseChanges.committed(touched)
        return result
    }
}
