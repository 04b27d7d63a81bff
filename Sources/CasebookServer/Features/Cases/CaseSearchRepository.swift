import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Finds the cases a caller may see that match a query, one page at a time (keyset pagination), and counts them.
struct CaseSearchRepository {
    let services: CasebookServices
    /// How many cases, the first in page order, a word search looks among before it collects every match instead.
    var windowSize = 2_000
    /// The widest range of case numbers such a window may span: matching within it costs in proportion to its width.
    var windowSpan = 100_000
    /// How many of a customer's own cases a word search checks one by one (about 40 µs each at a million cases) before
    /// it collects every match instead: all of nearly any customer's cases, and at most 8 ms lost for one with thousands.
    var customerWindowSize = 200
    /// How many cases, the first in page order, a word search's count looks among before it counts every match instead.
    var countWindowSize = 2_000
    /// The widest second window of a range (SQLite): a word in one case in 250 still fills a page from the newest cases
    /// instead of collecting all its matches.
    var widestWindow = 20_000
    /// The widest second window matched case by case (PostgreSQL, about 5 µs a case): at a million cases, collecting
    /// the matches of a word in one case in a hundred costs as much.
    var widestCaseByCase = 8_000

    func run(_ query: CaseSearchQuery, for actor: Actor, on db: any Database) async throws -> (cases: [CaseRecord], next: String?) {
        if !query.terms.isEmpty { try await SearchIndexer.catchUp(services.store) }
        let sql = services.store.sql(db)
        let rows: [any SQLRow]
        if let windowed = try await windowedPage(query, for: actor, on: sql) {
            rows = windowed
        } else {
            rows = try await page(filtered(query, for: actor, on: sql), query).all()
        }
        let page = rows.prefix(query.limit)
        let ids = try page.map { try $0.decode(column: "id", as: UUID.self) }
        var next: String?
        if rows.count > query.limit, let last = page.last {
            let number = try last.decode(column: "number", as: Int.self)
            let value = isDateSort(query.sort)
                ? try last.decode(column: "sort_value", as: Date.self).timeIntervalSince1970
                : Double(try last.decode(column: "sort_value", as: Int.self))
            next = CaseSearchQuery.encodeCursor(.init(value: value, number: number))
        }
        return (try await CaseRepository.find(ids: ids, on: sql), next)
    }

    /// The page found among the first `windowSize` cases in page order, or a wider window the first one's matches
    /// call for (see `SearchIndex.windowMatch` and `widened`), or nil when the index cannot match within a window or
    /// neither window filled the page.
    ///
    /// A customer's cases are scattered over every number, so a range would span them all: theirs are matched case by
    /// case, among their first `customerWindowSize`. A customer who sees their organisation's cases is left to the usual
    /// way, as finding that window means sorting every case of the organisation.
    private func windowedPage(_ query: CaseSearchQuery, for actor: Actor, on sql: any SQLDatabase) async throws -> [any SQLRow]? {
        let isStaff = actor.role.isStaff
        guard !query.terms.isEmpty, isDateSort(query.sort), isStaff || !actor.organisationSharesCases,
              let match = try await services.store.search.windowMatch(terms: query.terms, includeInternal: isStaff, on: sql) else { return nil }
        let byRange = isStaff && !match.staffCaseByCase
        // Customers' windows are their own few cases: one is enough.
        return try await inWindows(query, for: actor, match: match, byRange: byRange,
                                   size: isStaff ? (byRange ? windowSize : match.staffWindow ?? windowSize) : customerWindowSize,
                                   wanted: query.limit + 1, widens: isStaff, empty: [], on: sql) { select in
            let rows = try await page(select, query).all()
            return (rows, rows.count)
        }
    }

    /// Looks for an answer among the first `size` cases in page order, then (if `widens`) once more in a window as wide
    /// as the first one's matches call for. `look` reads the window's cases that match and says what it found and how
    /// many matches that is; the answer stands once `wanted` were found or the window held every case. `empty` when no
    /// case passes the other filters; nil when no window settled it.
    private func inWindows<Answer>(_ query: CaseSearchQuery, for actor: Actor, match: SearchWindowMatch, byRange: Bool, size first: Int,
                                   wanted: Int, widens: Bool, empty: Answer, on sql: any SQLDatabase,
                                   look: (SQLSelectBuilder) async throws -> (answer: Answer, found: Int)) async throws -> Answer? {
        var size = first
        for attempt in 0..<2 {
            let window = try await window(query, for: actor, size: size, on: sql)
            // No case passes the other filters, so none can match.
            guard let numbers = window.numbers else { return empty }
            guard let condition = Self.condition(match, for: numbers, byRange: byRange, span: windowSpan) else { return nil }
            let (answer, found) = try await look(within(window, filtered(query, for: actor, text: .windowed(condition), on: sql), query))
            if found >= wanted || window.count < size { return answer }
            guard attempt == 0, widens, let wider = widened(size, found: found, wanted: wanted, byRange: byRange) else { return nil }
            size = wider
        }
        return nil
    }

    /// A second window, as wide as the matches found in the first say a page (or count) needs, with half again for
    /// luck; nil when the first found none (a rare word: collecting its few matches is cheaper) or the rate asks for
    /// more than `widestWindow` (ranges) or `widestCaseByCase` cases.
    private func widened(_ size: Int, found: Int, wanted: Int, byRange: Bool) -> Int? {
        guard found > 0 else { return nil }
        let needed = size * wanted * 3 / (found * 2)
        return needed > size && needed <= (byRange ? widestWindow : widestCaseByCase) ? needed : nil
    }

    /// How a window's cases are matched: within their range of numbers when it spans at most `span`, else by the
    /// index's way for scattered cases, if it has one; case by case where ranges are not the index's way.
    private static func condition(_ match: SearchWindowMatch, for numbers: ClosedRange<Int>, byRange: Bool, span: Int) -> (any SQLExpression)? {
        guard byRange else { return match.caseByCase }
        return numbers.count <= span ? match.condition(numbers) : match.scattered
    }

    /// The first cases in page order that pass the query's filters but its words.
    private struct Window {
        /// The range of their numbers; nil when no case passes.
        let numbers: ClosedRange<Int>?
        /// How many there are: fewer than asked for means every case that passes.
        let count: Int
        /// The last of a full window, where a walk in page order stops.
        let last: CaseSearchQuery.Cursor?
    }

    /// The first `size` cases in page order that pass every filter but the words.
    private func window(_ query: CaseSearchQuery, for actor: Actor, size: Int, on sql: any SQLDatabase) async throws -> Window {
        // Numbers and sort values only: SQLite answers them from the sort column's index without reading a case.
        let first = page(filtered(query, for: actor, text: .ignored, on: sql), query, size: size, withID: false)
        guard let summary = try await sql.raw("""
            SELECT MIN(number) AS low, MAX(number) AS high, COUNT(*) AS n FROM (\(first.select)) AS first_cases
            """).first() else { return Window(numbers: nil, count: 0, last: nil) }
        let count = try summary.decode(column: "n", as: Int.self)
        guard count > 0 else { return Window(numbers: nil, count: 0, last: nil) }
        let numbers = try summary.decode(column: "low", as: Int.self)...summary.decode(column: "high", as: Int.self)
        var last: CaseSearchQuery.Cursor?
        if count == size, let row = try await first.offset(size - 1).limit(1).first() {
            last = .init(value: try row.decode(column: "sort_value", as: Date.self).timeIntervalSince1970, number: try row.decode(column: "number", as: Int.self))
        }
        return Window(numbers: numbers, count: count, last: last)
    }

    /// `select` kept to the window's cases: the range lets the walk over the sort column's index stop at the window's
    /// last case; the keyset says exactly where.
    private func within(_ window: Window, _ select: SQLSelectBuilder, _ query: CaseSearchQuery) -> SQLSelectBuilder {
        guard let end = window.last else { return select }
        let edge = Date(timeIntervalSince1970: query.descending ? end.value - 0.0001 : end.value + 0.0001)
        return select.where(SQLColumn(query.sort.column, table: "cases"), query.descending ? .greaterThanOrEqual : .lessThanOrEqual, SQLBind(edge))
            .where(SQLQueryString("NOT \(keysetCondition(end, query: query))"))
    }

    /// `select` with the page's columns, its cursor, its order and `size` rows (the page and one more, by default).
    private func page(_ select: SQLSelectBuilder, _ query: CaseSearchQuery, size: Int? = nil, withID: Bool = true) -> SQLSelectBuilder {
        let sortColumn = SQLColumn(query.sort.column, table: "cases")
        var select = withID ? select.column(SQLColumn("id", table: "cases")) : select
        select = select
            .column(SQLColumn("number", table: "cases"))
            .column(SQLAlias(sortColumn, as: SQLIdentifier("sort_value")))
        if let cursor = query.cursor {
            select = select.where(keysetCondition(cursor, query: query))
        }
        let direction: SQLDirection = query.descending ? .descending : .ascending
        return select.orderBy(sortColumn, direction)
            .orderBy(SQLColumn("number", table: "cases"), direction)
            .limit(size ?? query.limit + 1)
    }

    /// How many cases match, counted up to `cap` (a saved filter's badge says "1000+" rather than scanning everything).
    ///
    /// A word search counts among the newest cases first (`windowedCount`): collecting every match of a common word to
    /// count a hundred of them cost 200–300 ms at a million cases.
    func count(_ query: CaseSearchQuery, for actor: Actor, cap: Int, on sql: any SQLDatabase) async throws -> Int {
        var query = query
        query.cursor = nil
        if !query.terms.isEmpty { try await SearchIndexer.catchUp(services.store) }
        if let counted = try await windowedCount(query, for: actor, cap: cap, on: sql) { return counted }
        return try await count(filtered(query, for: actor, on: sql), cap: cap, on: sql)
    }

    /// The count settled among the first `countWindowSize` cases in page order (or a wider window the first one's
    /// matches call for): `cap` when that many match there, every match when the window holds every case the other
    /// filters leave; nil when neither (or the index cannot match the words within a window).
    private func windowedCount(_ query: CaseSearchQuery, for actor: Actor, cap: Int, on sql: any SQLDatabase) async throws -> Int? {
        guard !query.terms.isEmpty, isDateSort(query.sort), actor.role.isStaff,
              let match = try await services.store.search.windowMatch(terms: query.terms, includeInternal: true, on: sql) else { return nil }
        return try await inWindows(query, for: actor, match: match, byRange: !match.staffCaseByCase, size: countWindowSize,
                                   wanted: cap, widens: true, empty: 0, on: sql) { select in
            let found = try await count(select, cap: cap, on: sql)
            return (found, found)
        }
    }

    /// The rows `select` finds, counted up to `cap`.
    private func count(_ select: SQLSelectBuilder, cap: Int, on sql: any SQLDatabase) async throws -> Int {
        let capped = select.column(SQLLiteral.numeric("1")).limit(cap)
        return try await sql.raw("SELECT COUNT(*) AS n FROM (\(capped.select)) AS capped").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// How a query's words are matched: through the index's plan, within a window of case numbers, or not at all (to
    /// find the window).
    private enum TextMatch {
        case planned
        case windowed(any SQLExpression)
        case ignored
    }

    /// The query's conditions, with the caller's visibility, and no columns, order or page yet.
    private func filtered(_ query: CaseSearchQuery, for actor: Actor, text: TextMatch = .planned, on sql: any SQLDatabase) -> SQLSelectBuilder {
        var select = sql.select()
        var planned = false
        if case let .windowed(condition) = text {
            select = select.from("cases").where(Self.either(condition, alsoMatching: query, caseByCase: true))
        } else if case .planned = text, !query.terms.isEmpty {
            planned = true
            let plan = services.store.search.plan(terms: query.terms, includeInternal: actor.role.isStaff,
                                                        filtered: !query.statuses.isEmpty, byUpdate: query.sort == .updatedAt)
            select = select.from(plan.from)
            if let condition = plan.condition { select = select.where(Self.either(condition, alsoMatching: query)) }
        } else {
            select = select.from("cases")
        }
        if actor.role == .customer {
            if actor.organisationSharesCases, let organisation = actor.organisationID?.rawValue {
                select = select.where(SQLQueryString("(cases.requester_id = \(bind: actor.userID.rawValue) OR cases.organisation_id = \(bind: organisation))"))
            } else {
                select = select.where(SQLColumn("requester_id", table: "cases"), .equal, SQLBind(actor.userID.rawValue))
            }
        }
        if query.statuses.count > 1 && sql.dialect.name == "sqlite" && !planned {
            // Several statuses (a queue's "all open"): SQLite would read them through the status index and sort every match;
            // `+` makes it walk the sort column's index instead and stop after one page (52 ms → 0.1 ms at 100,000 cases).
            select = select.where(SQLQueryString("+cases.status IN (\(binds: query.statuses.map(\.rawValue)))"))
        } else if !query.statuses.isEmpty {
            select = select.where(SQLColumn("status", table: "cases"), .in, SQLBind.group(query.statuses.map(\.rawValue)))
        }
        if !query.tones.isEmpty { select = select.where(SQLColumn("tone", table: "cases"), .in, SQLBind.group(query.tones.map(\.rawValue))) }
        if !query.priorities.isEmpty { select = select.where(SQLColumn("priority", table: "cases"), .in, SQLBind.group(query.priorities.map(\.rawValue))) }
        if !query.types.isEmpty { select = select.where(SQLColumn("type", table: "cases"), .in, SQLBind.group(query.types.map(\.rawValue))) }
        switch query.assignee {
        case let .user(id): select = select.where(SQLColumn("assignee_id", table: "cases"), .equal, SQLBind(id))
        case .nobody: select = select.where(SQLColumn("assignee_id", table: "cases"), .is, SQLLiteral.null)
        case nil: break
        }
        for filter in query.uuidFilters {
            select = select.where(SQLColumn(filter.column, table: "cases"), .equal, SQLBind(filter.value))
        }
        if let tag = query.tag {
            select = select.where(SQLQueryString("cases.id IN (SELECT case_id FROM case_tags WHERE tag = \(bind: tag))"))
        }
        for (column, op, date) in [("created_at", SQLBinaryOperator.greaterThanOrEqual, query.createdAfter),
                                   ("created_at", .lessThan, query.createdBefore),
                                   ("updated_at", .greaterThanOrEqual, query.updatedAfter),
                                   ("updated_at", .lessThan, query.updatedBefore)] {
            if let date { select = select.where(SQLColumn(column, table: "cases"), op, SQLBind(date)) }
        }
        return select
    }

    /// The text search, or the case the text names by reference, or the cases of the person or organisation it names:
    /// agents search by what the customer tells them, and that is as often a name, an address or a reference as a word
    /// from the conversation.
    static func either(_ text: any SQLExpression, alsoMatching query: CaseSearchQuery, caseByCase: Bool = false) -> any SQLExpression {
        var alternatives: [any SQLExpression] = [text]
        if let number = query.number { alternatives.append(SQLQueryString("cases.number = \(bind: number)")) }
        if let who = query.who {
            let pattern = "%" + who + "%"
            let people = SQLQueryString("SELECT id FROM users WHERE LOWER(name) LIKE \(bind: pattern) OR LOWER(email) LIKE \(bind: pattern)")
            let organisations = SQLQueryString("SELECT id FROM organisations WHERE LOWER(name) LIKE \(bind: pattern)")
            if caseByCase {
                // Within a window, each case is checked by its own columns against the (few) people and organisations.
                alternatives.append(SQLQueryString("(cases.requester_id IN (\(people)) OR cases.organisation_id IN (\(organisations)))"))
            } else {
                // As a list of numbers, like the text search's own, so the planner answers it from the cases' indexes.
                alternatives.append(SQLQueryString("""
                    cases.number IN (SELECT number FROM cases WHERE requester_id IN (\(people)) \
                    UNION SELECT number FROM cases WHERE organisation_id IN (\(organisations)))
                    """))
            }
        }
        guard alternatives.count > 1 else { return text }
        return SQLGroupExpression(SQLList(alternatives, separator: SQLRaw(" OR ")))
    }

    /// Rows strictly after the cursor in sort order. Times are stored to the millisecond, so a
    /// window of a tenth of that stands for equality without trusting floating-point round trips.
    private func keysetCondition(_ cursor: CaseSearchQuery.Cursor, query: CaseSearchQuery) -> any SQLExpression {
        let column = query.sort.column
        let op = query.descending ? "<" : ">"
        guard isDateSort(query.sort) else {
            let value = Int(cursor.value)
            return SQLQueryString("(cases.\(unsafeRaw: column) \(unsafeRaw: op) \(bind: value) OR (cases.\(unsafeRaw: column) = \(bind: value) AND cases.number \(unsafeRaw: op) \(bind: cursor.number)))")
        }
        let lower = Date(timeIntervalSince1970: cursor.value - 0.0001)
        let upper = Date(timeIntervalSince1970: cursor.value + 0.0001)
        let beyond = query.descending ? lower : upper
        return SQLQueryString("(cases.\(unsafeRaw: column) \(unsafeRaw: op) \(bind: beyond) OR (cases.\(unsafeRaw: column) >= \(bind: lower) AND cases.\(unsafeRaw: column) <= \(bind: upper) AND cases.number \(unsafeRaw: op) \(bind: cursor.number)))")
    }

    private func isDateSort(_ sort: CaseSearchQuery.SortField) -> Bool {
        sort == .createdAt || sort == .updatedAt
    }
}

extension CaseSearchRepository {
    /// Every case's number and subject, and every message's text, oldest first: what the full-text index is rebuilt from.
    static func indexedTexts(on db: any Database) async throws -> (cases: [(id: UUID, number: Int, subject: String)],
                                                                     messages: [(caseID: UUID, visibility: Visibility, text: String)]) {
        let cases = try await CaseModel.query(on: db).all().map { (try $0.requireID(), $0.number, $0.subject) }
        let messages = try await MessageModel.query(on: db).sort(\.$createdAt).all()
            .map { ($0.caseID, Visibility(rawValue: $0.visibility) ?? .internal, $0.text) }
        return (cases, messages)
    }
}
