import CasebookCore
import Foundation
import SQLKit

/// The daily rollups reports read (`report_days`), and the case facts they are summarised from.
enum ReportDayRepository {
    /// The rollups of the days in `from...to`, in order.
    static func days(from: LocalDate, to: LocalDate, on sql: any SQLDatabase) async throws -> [ReportQueries.Day] {
        let decoder = JSONDecoder()
        return try await sql.raw("""
            SELECT * FROM report_days WHERE day >= \(bind: from.description) AND day <= \(bind: to.description) ORDER BY day
            """).all().map { row in
                func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
                    try decoder.decode(T.self, from: Data(try row.decode(column: column, as: String.self).utf8))
                }
                return ReportQueries.Day(
                    day: LocalDate(parsing: try row.decode(column: "day", as: String.self)) ?? from, created: try row.decode(column: "created", as: Int.self),
                    solved: try row.decode(column: "solved", as: Int.self), firstResponse: try json("first_response", DurationHistogram.self),
                    resolution: try json("resolution", DurationHistogram.self), slaCases: try row.decode(column: "sla_cases", as: Int.self),
                    slaBreached: try row.decode(column: "sla_breached", as: Int.self), categories: try json("categories", [String: Int].self),
                    products: try json("products", [String: Int].self), versions: try json("versions", [String: Int].self),
                    satisfactionSum: try row.decode(column: "satisfaction_sum", as: Int.self),
                    satisfactionCount: try row.decode(column: "satisfaction_count", as: Int.self),
                    updateGaps: try row.decode(column: "update_gaps", as: String?.self)
                        .map { try decoder.decode(DurationHistogram.self, from: Data($0.utf8)) } ?? DurationHistogram())
            }
    }

    /// Writes one day's rollup in place of the one before.
    static func save(_ day: ReportQueries.Day, at now: Date, on sql: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let values: [any SQLExpression] = [
            SQLBind(day.day.description), SQLBind(day.created), SQLBind(day.solved), SQLBind(try json(day.firstResponse)), SQLBind(try json(day.resolution)),
            SQLBind(day.slaCases), SQLBind(day.slaBreached), SQLBind(try json(day.categories)), SQLBind(try json(day.products)),
            SQLBind(try json(day.versions)), SQLBind(day.satisfactionSum), SQLBind(day.satisfactionCount), SQLBind(now), SQLBind(try json(day.updateGaps)),
        ]
        try await sql.insert(into: "report_days")
            .columns("day", "created", "solved", "first_response", "resolution", "sla_cases", "sla_breached", "categories", "products", "versions",
                     "satisfaction_sum", "satisfaction_count", "updated_at", "update_gaps")
            .values(values)
            .onConflict(with: ["day"]) { conflict in
                conflict.set(excludedValueOf: "created").set(excludedValueOf: "solved").set(excludedValueOf: "first_response")
                    .set(excludedValueOf: "resolution").set(excludedValueOf: "sla_cases").set(excludedValueOf: "sla_breached")
                    .set(excludedValueOf: "categories").set(excludedValueOf: "products").set(excludedValueOf: "versions")
                    .set(excludedValueOf: "satisfaction_sum").set(excludedValueOf: "satisfaction_count").set(excludedValueOf: "updated_at")
                    .set(excludedValueOf: "update_gaps")
            }.run()
    }

    /// What a day's rollup counts about one case opened that day.
    struct Opened: Sendable {
        let id: UUID
        let number: Int
        let createdAt: Date
        let firstResponseAt: Date?
        let solvedAt: Date?
        let categoryID: UUID?
        let productID: UUID?
        let productVersionID: UUID?
        /// Nil when no service level applied; empty when one applied and held.
        let breached: String?
        let score: Int?
    }

    /// Up to `limit` of the cases numbered within `numbers` and opened in `start..<end`, in number order, from just after
    /// `after`: a part of a day is read in slices through the number index, so a day of a bulk load (a million cases)
    /// costs a slice's memory, and redoing one part never reads the rest of its day.
    static func opened(from start: Date, to end: Date, numbers: Range<Int>, after: Int?, limit: Int,
                       on sql: any SQLDatabase) async throws -> [Opened] {
        try await sql.raw("""
            SELECT c.id, c.number, c.created_at, c.first_response_at, c.solved_at, c.category_id, c.product_id, c.product_version_id, s.breached, v.score
            FROM cases c LEFT JOIN case_sla s ON s.case_id = c.id LEFT JOIN satisfaction_surveys v ON v.case_id = c.id
            WHERE c.number >= \(bind: max(numbers.lowerBound, (after ?? -1) + 1)) AND c.number < \(bind: numbers.upperBound)
            AND c.created_at >= \(bind: start) AND c.created_at < \(bind: end)
            ORDER BY c.number LIMIT \(bind: limit)
            """).all().map { row in
                Opened(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                       createdAt: try row.decode(column: "created_at", as: Date.self), firstResponseAt: try row.decode(column: "first_response_at", as: Date?.self),
                       solvedAt: try row.decode(column: "solved_at", as: Date?.self), categoryID: try row.decode(column: "category_id", as: UUID?.self),
                       productID: try row.decode(column: "product_id", as: UUID?.self),
                       productVersionID: try row.decode(column: "product_version_id", as: UUID?.self),
                       breached: try row.decode(column: "breached", as: String?.self), score: try row.decode(column: "score", as: Int?.self))
            }
    }

    /// Staff's public messages on the given cases, by case then time.
    static func staffUpdates(onCases caseIDs: [UUID], on sql: any SQLDatabase) async throws -> [(caseID: UUID, at: Date)] {
        guard !caseIDs.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT m.case_id, m.created_at FROM messages m JOIN users u ON u.id = m.author_id
            WHERE m.case_id IN (\(binds: caseIDs)) AND m.visibility = 'public' AND u.role <> 'customer'
            ORDER BY m.case_id, m.created_at
            """).all().map { (try $0.decode(column: "case_id", as: UUID.self), try $0.decode(column: "created_at", as: Date.self)) }
    }
}
