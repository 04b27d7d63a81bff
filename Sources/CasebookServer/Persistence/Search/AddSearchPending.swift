import Fluent
import SQLKit

/// SQLite's queue of search entries waiting for the full-text index (see `SearchIndexer`); PostgreSQL indexes at once.
struct AddSearchPending: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("""
            CREATE TABLE IF NOT EXISTS case_search_pending (
                id INTEGER PRIMARY KEY, case_number INTEGER NOT NULL, internal INTEGER NOT NULL, body TEXT NOT NULL)
            """).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("DROP TABLE IF EXISTS case_search_pending").run()
    }
}
