import CasebookCore
import Foundation
import SQLKit

/// Matching among a range of case numbers only, for a page found in the first cases of its order.
///
/// A word in one case in ten matches about 150,000 entries at a million cases. Collecting them all into the sorted
/// list SQLite checks each case against costs about 25 ms a query; collecting only those of the cases a page can come
/// from costs about 1. FTS5 seeks straight to a range only for whole words, though: for a longer prefix it rebuilds the
/// list of every word it begins, whatever the range, so each typed word becomes the few indexed words it begins, read
/// from `case_search_terms`.
extension SQLiteSearchIndex {
    /// A word expanding to more indexed words than this is searched the usual way.
    static let expansionLimit = 8
    /// The most vocabulary seeks one query may make before it is searched the usual way: sixteen typed words of nine
    /// seeks each would otherwise cost more than collecting their matches.
    static let seekLimit = 40

    func windowMatch(terms: [String], includeInternal: Bool, on sql: any SQLDatabase) async throws -> SearchWindowMatch? {
        guard !terms.isEmpty else { return nil }
        var groups: [String] = []
        var seeks = 0
        for term in terms {
            guard let words = try await Self.wholeWords(for: term, seeks: &seeks, on: sql) else { return nil }
            // No indexed word begins so: no case matches the words (a name or a reference still may, by `either`).
            guard !words.isEmpty else { return SearchWindowMatch(condition: { _ in SQLRaw("(1 = 0)") }, caseByCase: SQLRaw("(1 = 0)"), scattered: SQLRaw("(1 = 0)")) }
            let prefix = term.count == 3 ? "*" : ""
            groups.append("(" + words.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"\(prefix)" }.joined(separator: " OR ") + ")")
        }
        let query = groups.joined(separator: " AND ")
        let visibility = includeInternal ? "" : " AND (rowid & \(Self.internalBit)) = 0"
        let shift = String(Self.numberShift)
        let unredacted = "cases.id NOT IN (SELECT case_id FROM privacy_redactions)"
        return SearchWindowMatch(
            condition: { numbers in
                SQLQueryString("""
                    (+cases.number IN (SELECT rowid >> \(unsafeRaw: shift) FROM case_search \
                    WHERE case_search MATCH \(bind: query)\(unsafeRaw: visibility) \
                    AND rowid >= \(bind: numbers.lowerBound << Self.numberShift) AND rowid < \(bind: (numbers.upperBound + 1) << Self.numberShift)) \
                    AND \(unsafeRaw: unredacted))
                    """)
            },
            // FTS5 seeks each word's entries to the case's own rowids: a few page reads a case, whatever the word's count.
            caseByCase: SQLQueryString("""
                (EXISTS (SELECT 1 FROM case_search WHERE case_search MATCH \(bind: query)\(unsafeRaw: visibility) \
                AND rowid >= (cases.number << \(unsafeRaw: shift)) AND rowid < ((cases.number + 1) << \(unsafeRaw: shift))) \
                AND \(unsafeRaw: unredacted))
                """),
            // Whole words, so FTS5 reads each word's own entries instead of rebuilding a prefix's list; the `+` keeps
            // SQLite walking the window in page order and looking each case up in the collected list.
            scattered: SQLQueryString("""
                (+cases.number IN (SELECT rowid >> \(unsafeRaw: shift) FROM case_search \
                WHERE case_search MATCH \(bind: query)\(unsafeRaw: visibility)) AND \(unsafeRaw: unredacted))
                """))
    }

    /// The indexed words one typed word begins, or nil when the index cannot seek it cheaply (then it is collected);
    /// `seeks` counts the query's seeks so far, and reaching `seekLimit` gives nil too.
    ///
    /// Three letters are answered by the prefix index (`prefix = '3'`) as cheaply as a whole word, so they stand for
    /// themselves. Only plain ASCII is expanded: the index folds accents and splits some scripts its own way, and a word
    /// spelt differently here would silently go missing from the expansion.
    static func wholeWords(for term: String, seeks: inout Int, on sql: any SQLDatabase) async throws -> [String]? {
        // A short word is searched as itself (`SearchTerms.isWholeWord`): one seek, like a whole word.
        if SearchTerms.isWholeWord(term) { return [term] }
        guard term.count >= 3, term.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            return nil
        }
        if term.count == 3 { return [term] }
        var words: [String] = []
        var lower = term
        let upper = term + "\u{10FFFF}"
        while true {
            guard seeks < seekLimit else { return nil }
            seeks += 1
            let next = try await sql.raw("""
                SELECT term FROM case_search_terms WHERE term >= \(bind: lower) AND term < \(bind: upper) LIMIT 1
                """).first()
            guard let word = try next?.decode(column: "term", as: String.self) else { break }
            guard words.count < expansionLimit else { return nil }
            words.append(word)
            // The smallest text after `word`: the next seek skips every other entry of it.
            lower = word + "\u{1}"
        }
        return words
    }

    /// The indexed words one typed word begins, counted as a query of its own.
    static func wholeWords(for term: String, on sql: any SQLDatabase) async throws -> [String]? {
        var seeks = 0
        return try await wholeWords(for: term, seeks: &seeks, on: sql)
    }
}
