import Foundation
import SQLKit

/// The statements around an export or an import that depend on the database: a consistent snapshot to read from,
/// deferred references while loading, emptying tables first.
enum ExportSession {
    /// Makes the current transaction read one snapshot, however long the export takes (SQLite's read transaction already does).
    static func beginSnapshot(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
    }

    /// Checks references at commit, so rows that point at later rows of their own table load too (PostgreSQL's
    /// exported constraints are declared deferrable already).
    static func deferReferences(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA defer_foreign_keys = ON").run()
    }

    static func empty(_ table: ExportTable, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM \(ident: table.name)").run()
    }

    /// Drops a scratch PostgreSQL schema and all it holds.
    static func dropSchema(_ schema: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
}
