import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Connects the database the configuration names; the only place the choice is made.
enum DatabaseSetup {
    static func register(_ location: CasebookConfiguration.DatabaseLocation, on app: Application) throws {
        switch location {
        case let .sqlite(path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case let .postgres(url, schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = schema.map { [$0] }
            app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
        }
    }

    /// Sets per-connection SQLite options on every event loop's connection (there is one each).
    static func tuneSQLite(on app: Application, synchronous: String) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let connection = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
            try await connection.raw("PRAGMA synchronous = \(unsafeRaw: synchronous == "normal" ? "NORMAL" : "FULL")").run()
            try await connection.raw("PRAGMA foreign_keys = ON").run()
            try await connection.raw("PRAGMA temp_store = MEMORY").run()
            try await connection.raw("PRAGMA cache_size = -32000").run()
        }
    }

    /// Creates the configured PostgreSQL schema before migrations need it.
    static func prepareSchema(_ location: CasebookConfiguration.DatabaseLocation, on app: Application) async throws {
        guard case let .postgres(_, schema?) = location, let sql = app.db as? any SQLDatabase else { return }
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }

    static func isSQLite(_ app: Application) -> Bool {
        (app.db as? any SQLDatabase)?.dialect.name == "sqlite"
    }
}
