import CasebookCore
import Foundation
import SQLKit

/// `tsvector` rows with a GIN index; the `simple` configuration matches SQLite's tokenizer closely.
struct PostgresSearchIndex: SearchIndex {
    func createIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE TABLE case_search (
                id BIGSERIAL PRIMARY KEY,
                case_id UUID NOT NULL REFERENCES cases (id),
                visibility TEXT NOT NULL,
                body TSVECTOR NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX case_search_body ON case_search USING GIN (body)").run()
        try await sql.raw("CREATE INDEX case_search_case ON case_search (case_id)").run()
    }

    func add(caseID: UUID, caseNumber: Int, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO case_search (case_id, visibility, body)
            VALUES (\(bind: caseID), \(bind: visibility.rawValue), to_tsvector('simple', \(bind: text)))
            """).run()
    }

    func addOpening(caseID: UUID, caseNumber: Int, text: String, on sql: any SQLDatabase) async throws {
        try await add(caseID: caseID, caseNumber: caseNumber, visibility: .public, text: text, on: sql)
        try await SimilarCases.index(caseID: caseID, text: text, on: sql)
    }

    func plan(terms: [String], includeInternal: Bool, filtered: Bool, byUpdate: Bool) -> SearchPlan {
        let query = Self.tsquery(terms)
        let visibility = includeInternal ? "" : " AND visibility = 'public'"
        // Cases whose personal data was taken out are never found by words (see `forget`).
        let condition = SQLQueryString("""
            (cases.id IN (SELECT case_id FROM case_search WHERE body @@ to_tsquery('simple', \(bind: query))\(unsafeRaw: visibility)) \
            AND cases.id NOT IN (SELECT case_id FROM privacy_redactions))
            """)
        return SearchPlan(from: SQLIdentifier("cases"), condition: condition)
    }

    /// Each case of the window looked up in its own entries, newest first, stopping at a page. PostgreSQL's estimate for
    /// a common word is far too low (400 rows for 133,000 at a million cases), so left to itself it collects every match
    /// from the GIN index before sorting (250 ms); a scalar subquery with LIMIT is never turned into that join.
    func windowMatch(terms: [String], includeInternal: Bool, on sql: any SQLDatabase) async throws -> SearchWindowMatch? {
        let visibility = includeInternal ? "" : " AND s.visibility = 'public'"
        let each = SQLQueryString("""
            ((SELECT true FROM case_search s WHERE s.case_id = cases.id AND s.body @@ to_tsquery('simple', \(bind: Self.tsquery(terms)))\(unsafeRaw: visibility) LIMIT 1) \
            AND cases.id NOT IN (SELECT case_id FROM privacy_redactions))
            """)
        // 400 lookups find a page of any word in one case in eight, and cost about 2 ms when the word is rare.
        return SearchWindowMatch(condition: { _ in each }, caseByCase: each, staffCaseByCase: true, staffWindow: 400)
    }

    /// Every term, each as a prefix unless it is a short whole word, all in one entry (as on SQLite, so both databases
    /// give the same answers).
    static func tsquery(_ terms: [String]) -> String {
        terms.map { SearchTerms.isWholeWord($0) ? $0 : "\($0):*" }.joined(separator: " & ")
    }

    func forget(caseIDs: [UUID], caseNumbers: [Int], on sql: any SQLDatabase) async throws {
        guard !caseIDs.isEmpty else { return }
        try await sql.delete(from: "case_search").where("case_id", .in, SQLBind.group(caseIDs)).run()
    }

    func removeAll(on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM case_search").run()
    }
}
