import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Connects the database the configuration names; the only place the choice is made.
enum DatabaseSetup {
    /// How long SQLite's log may grow before a commit copies it back itself (40 MB); normally `WALCheckpointer` does it first.
    static let walSafetyPages = 10_000

    /// SQLite's writer: the same file as `.sqlite`, through connections only the write gate uses.
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")

    static func register(_ location: CasebookConfiguration.DatabaseLocation, poolTimeout: TimeAmount = .seconds(10), on app: Application) throws {
        switch location {
        case let .sqlite(path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: sqliteWriter)
        case .sqliteMemory:
            // One name, so both registrations open the same in-memory database.
            let storage = SQLiteConfiguration.Storage.memory(identifier: UUID().uuidString)
            app.databases.use(.sqlite(.init(storage: storage), sqlLogLevel: .trace), as: .sqlite)
            app.databases.use(.sqlite(.init(storage: storage), sqlLogLevel: .trace), as: sqliteWriter)
        case let .postgres(url, schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = schema.map { [$0] }
            app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: poolTimeout,
                                        sqlLogLevel: .trace), as: .psql)
        }
    }

    /// Sets per-connection SQLite options on every event loop's connections (one each for reads, one each for the writer).
    static func tuneSQLite(on app: Application, synchronous: String) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
        for eventLoop in app.eventLoopGroup.makeIterator() {
            for id in [DatabaseID.sqlite, sqliteWriter] {
                guard let connection = app.databases.database(id, logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
                try await connection.raw("PRAGMA synchronous = \(unsafeRaw: synchronous == "normal" ? "NORMAL" : "FULL")").run()
                try await connection.raw("PRAGMA foreign_keys = ON").run()
                try await connection.raw("PRAGMA temp_store = MEMORY").run()
                // In WAL mode a reader's page cache is emptied whenever another connection has committed since its last
                // read, so under any write traffic a large reader cache is memory without hits: 8 MB per reader, and
                // 16 MB for the writer, whose cache survives its own commits (three connections at 32 MB each took the
                // server to 175 MB at 100,000 cases).
                try await connection.raw("PRAGMA cache_size = \(unsafeRaw: id == sqliteWriter ? "-16000" : "-8000")").run()
                try await connection.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(walSafetyPages))").run()
            }
        }
    }

    /// Where reads and writes go: on SQLite, writes have connections of their own (see `Store`).
    static func store(on app: Application, gate: WriteGate) -> Store {
        let sqlite = isSQLite(app)
        return Store(databases: app.databases, readerID: nil, writerID: sqlite ? sqliteWriter : nil, logger: app.logger, gate: gate)
    }

    /// Refreshes SQLite's table statistics (approximately, so it stays quick at millions of rows). Without them the planner
    /// guesses: it sorted every open case for the 50-row queue instead of walking the `updated_at` index (52 ms vs 0.1 ms
    /// at 100,000 cases). PostgreSQL's autovacuum does the same there, so this does nothing on PostgreSQL.
    ///
    /// Only tables whose size changed tenfold since their last analysis are analyzed, so a refresh with nothing to do
    /// costs next to nothing, and it runs every half minute (`statisticsChore`): statistics taken when a table was tiny
    /// are worse than none. Taken hourly, FTS5's own data table kept the two rows it had at start-up for the first hour,
    /// so the planner scanned the whole table for every delete FTS5 makes while merging: 6–7 ms a search-index
    /// transaction at 100,000 cases instead of 0.24 ms.
    ///
    /// A due table is analyzed one index per write transaction. `PRAGMA optimize` analyzed the whole of `cases` in one,
    /// holding the single writer 0.26 s at a million cases with its pages cached and 7.9 s after a migration had added
    /// an index (pages read from disk); one index at a time holds it 10–45 ms.
    static func refreshStatistics(_ store: Store) async throws {
        guard store.sql.dialect.name == "sqlite" else { return }
        // Asked on the writer's connection: ANALYZE loads what it learns into its own connection only, so a reader's
        // connection would go on reporting the same tables due.
        for target in try await store.write({ db in try await statisticsDue(on: store.sql(db)) }) {
            try await store.write { db in
                let sql = store.sql(db)
                try await sql.raw("PRAGMA analysis_limit = 1000").run()
                try await sql.raw("ANALYZE \(ident: target)").run()
            }
        }
    }

    /// The indexes (or, for a table without any, the table) of every table SQLite would analyze now. `PRAGMA optimize`
    /// with 0x10003 (all tables, report only) names those tables as `ANALYZE "main"."name"` and runs nothing.
    static func statisticsDue(on sql: any SQLDatabase) async throws -> [String] {
        var targets: [String] = []
        for row in try await sql.raw("PRAGMA optimize = 0x10003").all() {
            guard let column = row.allColumns.first, let line = try? row.decode(column: column, as: String.self),
                  line.hasPrefix("ANALYZE \"main\".\"") else { continue }
            let table = String(line.dropFirst("ANALYZE \"main\".\"".count).dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            let indexes = try await sql.raw("SELECT name FROM pragma_index_list(\(bind: table))").all()
                .map { try $0.decode(column: "name", as: String.self) }
            targets += indexes.isEmpty ? [table] : indexes
        }
        return targets
    }

    /// The statistics refresh every half minute, for the application's lifecycle.
    static func statisticsChore() -> SQLiteChore { SQLiteChore("statistics refresh", every: .seconds(30), refreshStatistics) }

    /// Creates the configured PostgreSQL schema before migrations need it.
    static func prepareSchema(_ location: CasebookConfiguration.DatabaseLocation, on app: Application) async throws {
        guard case let .postgres(_, schema?) = location, let sql = app.db as? any SQLDatabase else { return }
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }

    static func isSQLite(_ app: Application) -> Bool {
        (app.db as? any SQLDatabase)?.dialect.name == "sqlite"
    }
}
