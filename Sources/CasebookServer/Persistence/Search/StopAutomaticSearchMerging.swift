import Fluent
import SQLKit

/// Has SQLite's full-text index merge its segments only when `SearchIndexer.merge` asks, in short steps of their own,
/// instead of inside whichever write flushed new entries (a setting FTS5 keeps in the index itself).
struct StopAutomaticSearchMerging: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await SQLiteSearchIndex.stopAutomaticMerging(on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        // FTS5's default.
        try await sql.raw("INSERT INTO case_search (case_search, rank) VALUES ('automerge', 4)").run()
    }
}
