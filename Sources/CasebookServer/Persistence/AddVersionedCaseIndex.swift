import Fluent
import SQLKit

/// Lets the early-warning scan read only the recent cases that name a version and an organisation.
///
/// Through the opening-time index it read every case opened in the window to find the few that do: 585 ms every half
/// minute after a bulk load put a million cases in one day, holding a connection requests were waiting for.
struct AddVersionedCaseIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS cases_versioned_created ON cases (created_at)
            WHERE product_version_id IS NOT NULL AND organisation_id IS NOT NULL
            """).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS cases_versioned_created").run()
    }
}
