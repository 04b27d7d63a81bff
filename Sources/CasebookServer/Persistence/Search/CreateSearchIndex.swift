import Fluent
import SQLKit

/// The full-text index, built with each database's own engine (see `SearchIndex`).
struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await SearchDialect.index(for: sql).createIndex(on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE IF EXISTS case_search").run()
    }
}
