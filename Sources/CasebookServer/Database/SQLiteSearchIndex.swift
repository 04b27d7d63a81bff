import CasebookCore
import Foundation
import SQLKit

/// FTS5: one row per subject or message; `unicode61` folds case and diacritics.
struct SQLiteSearchIndex: SearchIndex {
    func createIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE VIRTUAL TABLE case_search USING fts5(
                case_id UNINDEXED, visibility UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')
            """).run()
    }

    func add(caseID: UUID, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("INSERT INTO case_search (case_id, visibility, body) VALUES (\(bind: caseID), \(bind: visibility.rawValue), \(bind: text))").run()
    }

    func matches(terms: [String], includeInternal: Bool) -> any SQLExpression {
        // Each term may be in a different message of the case, so each gets its own lookup.
        // Terms are letters and digits only, so quoting one makes a literal FTS5 prefix query.
        let visibility = includeInternal ? "" : " AND visibility = 'public'"
        let conditions = terms.map { term in
            SQLQueryString("cases.id IN (SELECT case_id FROM case_search WHERE case_search MATCH \(bind: "\"\(term)\"*")\(unsafeRaw: visibility))")
        }
        return SQLGroupExpression(SQLList(conditions, separator: SQLRaw(" AND ")))
    }
}
