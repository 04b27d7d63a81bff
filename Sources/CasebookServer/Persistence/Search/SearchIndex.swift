import CasebookCore
import Foundation
import SQLKit

/// Full-text search over case subjects and messages, backed by the database's own engine.
protocol SearchIndex: Sendable {
    /// Creates the index structures (called by the `CreateSearchIndex` migration).
    func createIndex(on sql: any SQLDatabase) async throws
    /// Adds one piece of text (a subject or a message) to a case's entries.
    func add(caseID: UUID, caseNumber: Int, visibility: Visibility, text: String, on sql: any SQLDatabase) async throws
    /// Adds a new case's subject and description: a public entry, and the case's terms for `SimilarCases`.
    func addOpening(caseID: UUID, caseNumber: Int, text: String, on sql: any SQLDatabase) async throws
    /// How to read only the cases matching every term: a FROM clause that yields `cases` rows, and
    /// a condition to add. Internal text is searched for staff only. `filtered` says a status filter
    /// narrows the cases, so walking the status index beats looking up every match;
    /// `byUpdate` says the page is sorted by last update.
    func plan(terms: [String], includeInternal: Bool, filtered: Bool, byUpdate: Bool) -> SearchPlan
    /// How to match every term among a window of case numbers only, when the index answers that in proportion to the
    /// window rather than to every match; nil when it cannot for these terms.
    func windowMatch(terms: [String], includeInternal: Bool, on sql: any SQLDatabase) async throws -> SearchWindowMatch?
    /// Drops what the index holds of these cases (their personal data was taken out); a word search also leaves out
    /// every case in `privacy_redactions`, for what an index cannot drop.
    func forget(caseIDs: [UUID], caseNumbers: [Int], on sql: any SQLDatabase) async throws
    /// Removes every entry, before a rebuild.
    func removeAll(on sql: any SQLDatabase) async throws
}

/// The parts a full-text search adds to the case query.
struct SearchPlan {
    let from: any SQLExpression
    let condition: (any SQLExpression)?
}

/// A text condition for the cases numbered within a range, or checked case by case.
struct SearchWindowMatch {
    let condition: (ClosedRange<Int>) -> any SQLExpression
    /// The same match looked up for each case by its own number: for cases scattered over every number, such as one
    /// customer's, where a range would span them all.
    let caseByCase: any SQLExpression
    /// Whether a staff window is matched case by case too, whatever numbers it spans (the lookup per case is cheap).
    var staffCaseByCase = false
    /// How many cases such a window walks at most: a word in few cases costs every lookup before the search gives way
    /// to collecting every match, so a walk case by case is kept shorter than a range's window.
    var staffWindow: Int?
    /// The match for a window whose cases are scattered over too many numbers for a range: every match collected once
    /// and each of the window's cases looked up in it; nil where the index has no cheaper way than its usual plan.
    var scattered: (any SQLExpression)?
}

/// Picks the search engine that matches the connected database.
enum SearchDialect {
    static func index(for sql: any SQLDatabase) -> any SearchIndex {
        sql.dialect.name == "postgresql" ? PostgresSearchIndex() : SQLiteSearchIndex()
    }
}
