import CasebookCore
import Foundation
import SQLKit

/// Full-text search over case subjects and messages, backed by the database's own engine.
protocol SearchIndex: Sendable {
    /// Creates the index structures (called by the `CreateSearchIndex` migration).
    func createIndex(on sql: any SQLDatabase) async throws
    /// Adds one piece of text (a subject or a message) to a case's entries.
    func add(caseID: UUID, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws
    /// A condition on `cases.id` matching every term; internal text is searched for staff only.
    func matches(terms: [String], includeInternal: Bool) -> any SQLExpression
    /// Removes every entry, before a rebuild.
    func removeAll(on sql: any SQLDatabase) async throws
}

/// Picks the search engine that matches the connected database.
enum SearchDialect {
    static func index(for sql: any SQLDatabase) -> any SearchIndex {
        sql.dialect.name == "postgresql" ? PostgresSearchIndex() : SQLiteSearchIndex()
    }
}

extension SearchIndex {
    func removeAll(on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM case_search").run()
    }
}
