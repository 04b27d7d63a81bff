import Fluent
import SQLKit

/// Lets SQLite list the words its search index holds (`SQLiteSearchIndex.wholeWords` turns a typed prefix into them).
/// A view over the index, so it stores nothing and never falls behind.
struct AddSearchTermList: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("CREATE VIRTUAL TABLE IF NOT EXISTS case_search_terms USING fts5vocab(case_search, instance)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("DROP TABLE IF EXISTS case_search_terms").run()
    }
}
