import Fluent
import SQLKit

/// Lets SQLite's search queue carry a new case's terms for `SimilarCases` (the case named in `case_id`), and drops an
/// index another one already covers. Every index on `cases` costs each new case a written page.
struct AddPendingTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // `cases_version_created` starts with the version, so it answers every lookup this one did.
        try await sql.raw("DROP INDEX IF EXISTS cases_product_version").run()
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("ALTER TABLE case_search_pending ADD COLUMN case_id TEXT").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_product_version").on("cases").column("product_version_id").run()
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("ALTER TABLE case_search_pending DROP COLUMN case_id").run()
    }
}
