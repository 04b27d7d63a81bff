import CasebookCore
import Foundation
import SQLKit

/// FTS5, contentless: the index keeps only what it needs to answer "which cases".
///
/// Each entry's rowid carries its case number and visibility (`number << 20 | internal << 19 | n`),
/// so a match yields case numbers straight from the index without reading any stored row; at
/// 100,000 cases that is the difference between about 5 ms and 45 ms for a common word.
struct SQLiteSearchIndex: SearchIndex {
    static let numberShift = 20
    static let internalBit = 1 << 19

    func createIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE VIRTUAL TABLE case_search USING fts5(
                body, content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '3')
            """).run()
    }

    func add(caseID: UUID, caseNumber: Int, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws {
        let entry = PendingSearchEntries.Entry(caseNumber: caseNumber, isInternal: visibility == .internal, text: text)
        // Inside the write gate the entry waits for the end of the transaction (see `PendingSearchEntries`).
        if let pending = PendingSearchEntries.current { return pending.append(entry) }
        try await Self.insert(entry, number: try await Self.nextEntryNumber(caseNumber: caseNumber, on: sql), on: sql)
    }

    /// The next free entry number of a case, found by a rowid range scan of the index.
    static func nextEntryNumber(caseNumber: Int, on sql: any SQLDatabase) async throws -> Int {
        let base = caseNumber << numberShift
        return try await sql.raw("""
            SELECT COALESCE(MAX(rowid & \(unsafeRaw: String(internalBit - 1))), -1) + 1 AS n
            FROM case_search WHERE rowid >= \(bind: base) AND rowid < \(bind: base + (1 << numberShift))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Writes one entry as entry `number` of its case. A single-row INSERT opens no statement savepoint, so entries
    /// written one after another stay in FTS5's memory until the commit.
    static func insert(_ entry: PendingSearchEntries.Entry, number: Int, on sql: any SQLDatabase) async throws {
        let rowid = entry.caseNumber << numberShift | (entry.isInternal ? internalBit : 0) | number
        try await sql.raw("INSERT INTO case_search (rowid, body) VALUES (\(bind: rowid), \(bind: entry.text))").run()
    }

    func plan(terms: [String], includeInternal: Bool, filtered: Bool, byUpdate: Bool) -> SearchPlan {
        // All terms must appear in one entry (a subject with its description, or one message), so
        // FTS5 intersects its own posting lists instead of Casebook intersecting huge case lists.
        // With the case indexes covering (…, number), SQLite either walks the sort index and stops
        // after a page of hits, or starts from the few matching numbers.
        let query = terms.map { "\"\($0)\"*" }.joined(separator: " AND ")
        let visibility = includeInternal ? "" : " AND (rowid & \(Self.internalBit)) = 0"
        // A unary + keeps SQLite from looking up each matching number when a filter index is better.
        let condition = SQLQueryString(
            "\(unsafeRaw: filtered ? "+" : "")cases.number IN (SELECT rowid >> \(unsafeRaw: String(Self.numberShift)) FROM case_search WHERE case_search MATCH \(bind: query)\(unsafeRaw: visibility))")
        // With a status filter and the usual update order, the (status, updated_at, number) index
        // answers in one ordered walk; SQLite's planner, lacking statistics, sometimes picks worse.
        let from: any SQLExpression = filtered && byUpdate ? SQLRaw("cases INDEXED BY cases_status_updated") : SQLIdentifier("cases")
        return SearchPlan(from: from, condition: condition)
    }

    func removeAll(on sql: any SQLDatabase) async throws {
        try await sql.raw("INSERT INTO case_search (case_search) VALUES ('delete-all')").run()
    }
}
