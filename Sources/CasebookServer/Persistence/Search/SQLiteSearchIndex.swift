import CasebookCore
import Foundation
import SQLKit

/// FTS5, contentless: the index keeps only what it needs to answer "which cases".
///
/// New entries are queued in `case_search_pending` and moved into the index many at a time (`SearchIndexer`): FTS5
/// writes a segment per transaction that adds to it, and the cost of each grows with the index (at 100,000 cases about
/// 6 ms a transaction, ten times a case's other writes), while a thousand entries cost little more than one.
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

    /// Queues the entry (a single-row append, cheap inside any write); `SearchIndexer` moves it into the index.
    func add(caseID: UUID, caseNumber: Int, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws {
        try await Self.queue.run([[.integer(caseNumber), .integer(visibility == .internal ? 1 : 0), .text(text), .null(.id)]], on: sql)
    }

    /// Queues the entry with its case, whose terms for `SimilarCases` go in when it is moved: each term lands on its
    /// own page of the term index, about fifteen pages a case written alone, while a batch shares them.
    func addOpening(caseID: UUID, caseNumber: Int, text: String, on sql: any SQLDatabase) async throws {
        try await Self.queue.run([[.integer(caseNumber), .integer(0), .text(text), .id(caseID)]], on: sql)
    }

    private static let queue = RowInsert(into: "case_search_pending", columns: SQLColumnList(["case_number", "internal", "body", "case_id"]))

    /// Whether entries wait to be indexed.
    static func hasPending(on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT EXISTS (SELECT 1 FROM case_search_pending) AS waiting").first()?.decode(column: "waiting", as: Bool.self) ?? false
    }

    /// Moves up to `limit` queued entries, oldest first, into the index in one transaction, with the terms of the new
    /// cases among them; returns how many.
    ///
    /// Each entry is numbered after its case's last one. They go in by case number (rowid order), each a single-row
    /// INSERT, so FTS5 keeps them all in memory and writes them out as one segment at the commit.
    static func movePending(limit: Int, on sql: any SQLDatabase) async throws -> Int {
        struct Entry { let caseNumber: Int, isInternal: Bool, text: String }
        var entries: [Entry] = []
        var terms: [(caseID: UUID, term: String)] = []
        var last = 0
        for row in try await sql.raw("""
            SELECT id, case_number, internal, body, case_id FROM case_search_pending ORDER BY id LIMIT \(bind: limit)
            """).all() {
            last = try row.decode(column: "id", as: Int.self)
            let entry = Entry(caseNumber: try row.decode(column: "case_number", as: Int.self),
                              isInternal: try row.decode(column: "internal", as: Int.self) != 0, text: try row.decode(column: "body", as: String.self))
            entries.append(entry)
            if let caseID = try row.decode(column: "case_id", as: UUID?.self) {
                terms += SimilarCases.terms(of: entry.text).map { (caseID, $0) }
            }
        }
        guard !entries.isEmpty else { return 0 }
        // In term order, so consecutive rows land on the same pages of the term index.
        terms.sort { $0.term < $1.term }
        try await SimilarCases.insert(terms, on: sql)
        var next: [Int: Int] = [:]
        // A stable sort keeps each case's entries in the order they were written.
        for entry in entries.enumerated().sorted(by: { ($0.element.caseNumber, $0.offset) < ($1.element.caseNumber, $1.offset) }).map(\.element) {
            let number: Int
            if let known = next[entry.caseNumber] {
                number = known
            } else {
                number = try await nextEntryNumber(caseNumber: entry.caseNumber, on: sql)
            }
            next[entry.caseNumber] = number + 1
            let rowid = entry.caseNumber << numberShift | (entry.isInternal ? internalBit : 0) | number
            try await sql.raw("INSERT INTO case_search (rowid, body) VALUES (\(bind: rowid), \(bind: entry.text))").run()
        }
        // The oldest `limit` ids are exactly those up to the last one read.
        try await sql.raw("DELETE FROM case_search_pending WHERE id <= \(bind: last)").run()
        return entries.count
    }

    /// One step of merging the index's segments, writing at most `pages` pages; true when there was anything to merge.
    /// FTS5 says so through the connection's change count: a step that merged something moves it by two or more.
    static func mergeStep(pages: Int, on sql: any SQLDatabase) async throws -> Bool {
        func changes() async throws -> Int {
            try await sql.raw("SELECT total_changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let before = try await changes()
        try await sql.raw("INSERT INTO case_search (case_search, rank) VALUES ('merge', \(bind: pages))").run()
        return try await changes() - before >= 2
    }

    /// Leaves merging to `mergeStep`: FTS5's own merge ran inside whichever write flushed entries, as much as 64 pages
    /// for each level of the index at a time (112 ms at a million cases), holding the single writer.
    static func stopAutomaticMerging(on sql: any SQLDatabase) async throws {
        try await sql.raw("INSERT INTO case_search (case_search, rank) VALUES ('automerge', 0)").run()
    }

    /// The next free entry number of a case, found by a rowid range scan of the index.
    static func nextEntryNumber(caseNumber: Int, on sql: any SQLDatabase) async throws -> Int {
        let base = caseNumber << numberShift
        return try await sql.raw("""
            SELECT COALESCE(MAX(rowid & \(unsafeRaw: String(internalBit - 1))), -1) + 1 AS n
            FROM case_search WHERE rowid >= \(bind: base) AND rowid < \(bind: base + (1 << numberShift))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func plan(terms: [String], includeInternal: Bool, filtered: Bool, byUpdate: Bool) -> SearchPlan {
        // All terms must appear in one entry (a subject with its description, or one message), so
        // FTS5 intersects its own posting lists instead of Casebook intersecting huge case lists.
        // With the case indexes covering (…, number), SQLite either walks the sort index and stops
        // after a page of hits, or starts from the few matching numbers.
        let query = terms.map { "\"\($0)\"" + (SearchTerms.isWholeWord($0) ? "" : "*") }.joined(separator: " AND ")
        let visibility = includeInternal ? "" : " AND (rowid & \(Self.internalBit)) = 0"
        // A unary + keeps SQLite from looking up each matching number when a filter index is better.
        // Cases whose personal data was taken out are never found by words (see `forget`).
        let condition = SQLQueryString("""
            (\(unsafeRaw: filtered ? "+" : "")cases.number IN (SELECT rowid >> \(unsafeRaw: String(Self.numberShift)) FROM case_search \
            WHERE case_search MATCH \(bind: query)\(unsafeRaw: visibility)) AND cases.id NOT IN (SELECT case_id FROM privacy_redactions))
            """)
        // With a status filter and the usual update order, the (status, updated_at, number) index
        // answers in one ordered walk; SQLite's planner, lacking statistics, sometimes picks worse.
        let from: any SQLExpression = filtered && byUpdate ? SQLRaw("cases INDEXED BY cases_status_updated") : SQLIdentifier("cases")
        return SearchPlan(from: from, condition: condition)
    }

    /// A contentless FTS5 table drops an entry only when given its original text, which is gone by now: the entries stay,
    /// and the plan's `privacy_redactions` condition (or the missing case, once deleted) keeps them from matching.
    func forget(caseIDs: [UUID], caseNumbers: [Int], on sql: any SQLDatabase) async throws {
        guard !caseNumbers.isEmpty else { return }
        try await sql.delete(from: "case_search_pending").where("case_number", .in, SQLBind.group(caseNumbers)).run()
    }

    func removeAll(on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM case_search_pending").run()
        try await sql.raw("INSERT INTO case_search (case_search) VALUES ('delete-all')").run()
    }
}
