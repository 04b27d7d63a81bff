import Fluent
import SQLKit

/// Lets similar-case lookups read, for each term, only its newest cases (case ids grow with time) and stop there: at a
/// million cases a common word such as "printer" is in hundreds of thousands of them, and counting every one took the
/// case page two seconds on PostgreSQL.
struct AddCaseTermRecency: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS case_terms_term_case ON case_terms (term, case_id)").run()
        // The new index answers everything the old one did.
        try await sql.drop(index: "case_terms_term").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS case_terms_term ON case_terms (term)").run()
        try await sql.drop(index: "case_terms_term_case").ifExists().run()
    }
}
