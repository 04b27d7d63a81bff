import CasebookCore
import Foundation
import SQLKit

/// One part of a day's rollup: the cases opened that day whose numbers fall in one block.
struct DayPart: Hashable, Comparable, Sendable {
    let day: LocalDate
    let part: Int

    static func < (lhs: DayPart, rhs: DayPart) -> Bool { (lhs.day, lhs.part) < (rhs.day, rhs.part) }

    /// The state text a deferred part is kept under between runs.
    var name: String { "\(day)/\(part)" }

    init(day: LocalDate, part: Int) {
        self.day = day
        self.part = part
    }

    init?(name: some StringProtocol) {
        let pieces = name.split(separator: "/")
        guard pieces.count == 2, let day = LocalDate(parsing: String(pieces[0])), let part = Int(pieces[1]) else { return nil }
        self.init(day: day, part: part)
    }
}

/// The parts of daily rollups (`report_day_parts`): what a day's figures are merged from, each redone on its own.
enum ReportDayPartRepository {
    /// The UTC days (as their first instant) and blocks of `partSize` numbers of the cases whose case, clock or survey
    /// changed since a moment: one row a part, so a bulk load of a million cases reads a few hundred rows, not a million.
    static func changedParts(since watermark: Date, partSize: Int, on sql: any SQLDatabase) async throws -> [(opened: Date, part: Int)] {
        func day(_ column: String) -> SQLQueryString {
            sql.dialect.name == "sqlite"
                ? "CAST(\(unsafeRaw: column) / 86400 AS INTEGER)"
                : "CAST(FLOOR(EXTRACT(EPOCH FROM \(unsafeRaw: column)) / 86400) AS BIGINT)"
        }
        return try await sql.raw("""
            SELECT \(day("created_at")) AS day, number / \(bind: partSize) AS part FROM cases WHERE updated_at >= \(bind: watermark)
            UNION SELECT \(day("c.created_at")), c.number / \(bind: partSize) FROM case_sla s JOIN cases c ON c.id = s.case_id
            WHERE s.updated_at >= \(bind: watermark)
            UNION SELECT \(day("c.created_at")), c.number / \(bind: partSize) FROM satisfaction_surveys v JOIN cases c ON c.id = v.case_id
            WHERE v.answered_at >= \(bind: watermark)
            """).all().map {
                (Date(timeIntervalSince1970: Double(try $0.decode(column: "day", as: Int.self)) * 86_400), try $0.decode(column: "part", as: Int.self))
            }
    }

    /// When each of these parts was last summarised, and how many cases it held then: a query for every 500 days, not
    /// one a day, so the first run after a load of ten years reads a handful of queries.
    static func summaryTimes(of parts: [DayPart], on sql: any SQLDatabase) async throws -> [DayPart: (at: Date, cases: Int)] {
        let wanted = Set(parts)
        let days = Set(parts.map(\.day)).map(\.description).sorted()
        var times: [DayPart: (at: Date, cases: Int)] = [:]
        for start in stride(from: 0, to: days.count, by: 500) {
            let chunk = days[start ..< min(start + 500, days.count)].map { SQLBind($0) }
            let rows = try await sql.raw("""
                SELECT day, part, cases, updated_at FROM report_day_parts WHERE day IN \(SQLGroupExpression(chunk))
                """).all()
            for row in rows {
                guard let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) else { continue }
                let part = DayPart(day: day, part: try row.decode(column: "part", as: Int.self))
                guard wanted.contains(part) else { continue }
                times[part] = (try row.decode(column: "updated_at", as: Date.self), try row.decode(column: "cases", as: Int.self))
            }
        }
        return times
    }

    /// Writes one part's totals in place of the ones before.
    static func save(_ tally: DayTally, of part: DayPart, at now: Date, on sql: any SQLDatabase) async throws {
        let text = String(decoding: try JSONEncoder().encode(tally), as: UTF8.self)
        try await sql.insert(into: "report_day_parts")
            .columns("day", "part", "cases", "tally", "updated_at")
            .values(SQLBind(part.day.description), SQLBind(part.part), SQLBind(tally.created), SQLBind(text), SQLBind(now))
            .onConflict(with: ["day", "part"]) { $0.set(excludedValueOf: "cases").set(excludedValueOf: "tally").set(excludedValueOf: "updated_at") }
            .run()
    }

    /// Every part of a day, merged.
    static func merged(_ day: LocalDate, on sql: any SQLDatabase) async throws -> DayTally {
        let decoder = JSONDecoder()
        var total = DayTally()
        for row in try await sql.raw("SELECT tally FROM report_day_parts WHERE day = \(bind: day.description)").all() {
            total.merge(try decoder.decode(DayTally.self, from: Data(try row.decode(column: "tally", as: String.self).utf8)))
        }
        return total
    }
}
