import CasebookCore
import Foundation
import SQLKit

/// Keeps `report_days` current: every run re-summarises the days (of opening) whose cases, clocks or surveys changed since the last run.
struct ReportRollup {
    let services: CasebookServices

    static let key = "reports.rollup"
    static let utc = BusinessCalendar.allHours()

    /// Returns how many days were re-summarised.
    @discardableResult
    func run() async throws -> Int {
        let sql = services.store.sql
        let now = services.clock()
        let watermark = try await sql.select().column("value").from("report_state").where("key", .equal, "watermark").first()
            .flatMap { Double(try $0.decode(column: "value", as: String.self)) }.map { Date(timeIntervalSince1970: $0) } ?? .distantPast
        var days = Set<LocalDate>()
        let changed = try await sql.raw("""
            SELECT created_at FROM cases WHERE updated_at >= \(bind: watermark)
            UNION SELECT c.created_at FROM case_sla s JOIN cases c ON c.id = s.case_id WHERE s.updated_at >= \(bind: watermark)
            UNION SELECT c.created_at FROM satisfaction_surveys v JOIN cases c ON c.id = v.case_id WHERE v.answered_at >= \(bind: watermark)
            """).all()
        for row in changed { days.insert(Self.utc.localDay(of: try row.decode(column: "created_at", as: Date.self))) }
        for day in days.sorted() { try await summarise(day, at: now) }
        // Anything written while this ran is newer than `now` and is picked up next time.
        let services = self.services
        try await services.store.write { db in
            try await services.store.sql(db).insert(into: "report_state").columns("key", "value")
                .values(SQLBind("watermark"), SQLBind(String(now.timeIntervalSince1970)))
                .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value") }.run()
        }
        return days.count
    }

    /// Re-summarises the cases opened on one day.
    func summarise(_ day: LocalDate, at now: Date) async throws {
        let sql = services.store.sql
        let start = Self.utc.instant(day, minute: 0), end = Self.utc.instant(day.adding(days: 1), minute: 0)
        let rows = try await sql.raw("""
            SELECT c.created_at, c.first_response_at, c.solved_at, c.category_id, c.product_id, c.product_version_id, s.breached, v.score
            FROM cases c LEFT JOIN case_sla s ON s.case_id = c.id LEFT JOIN satisfaction_surveys v ON v.case_id = c.id
            WHERE c.created_at >= \(bind: start) AND c.created_at < \(bind: end)
            """).all()
        var firstResponse = DurationHistogram(), resolution = DurationHistogram()
        var solved = 0, slaCases = 0, slaBreached = 0, satisfactionSum = 0, satisfactionCount = 0
        var categories: [String: Int] = [:], products: [String: Int] = [:], versions: [String: Int] = [:]
        for row in rows {
            let created = try row.decode(column: "created_at", as: Date.self)
            if let first = try row.decode(column: "first_response_at", as: Date?.self) { firstResponse.add(minutes: max(0, first.timeIntervalSince(created) / 60)) }
            if let done = try row.decode(column: "solved_at", as: Date?.self) {
                solved += 1
                resolution.add(minutes: max(0, done.timeIntervalSince(created) / 60))
            }
            if let breached = try row.decode(column: "breached", as: String?.self) {
                slaCases += 1
                if !breached.isEmpty { slaBreached += 1 }
            }
            if let score = try row.decode(column: "score", as: Int?.self) {
                satisfactionSum += score
                satisfactionCount += 1
            }
            if let id = try row.decode(column: "category_id", as: UUID?.self) { categories[id.uuidString.lowercased(), default: 0] += 1 }
            if let id = try row.decode(column: "product_id", as: UUID?.self) { products[id.uuidString.lowercased(), default: 0] += 1 }
            if let id = try row.decode(column: "product_version_id", as: UUID?.self) { versions[id.uuidString.lowercased(), default: 0] += 1 }
        }
        let updateGaps = try await Self.updateGaps(from: start, to: end, on: sql)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let services = self.services
        let values: [any SQLExpression] = [
            SQLBind(day.description), SQLBind(rows.count), SQLBind(solved), SQLBind(try json(firstResponse)), SQLBind(try json(resolution)),
            SQLBind(slaCases), SQLBind(slaBreached), SQLBind(try json(categories)), SQLBind(try json(products)), SQLBind(try json(versions)),
            SQLBind(satisfactionSum), SQLBind(satisfactionCount), SQLBind(now), SQLBind(try json(updateGaps)),
        ]
        try await services.store.write { db in
            try await services.store.sql(db).insert(into: "report_days")
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
    }

    /// The minutes between consecutive customer-visible staff updates on the cases opened in [start, end): how long a
    /// customer waits between hearing from support, which first-response and resolution times do not show.
    static func updateGaps(from start: Date, to end: Date, on sql: any SQLDatabase) async throws -> DurationHistogram {
        let rows = try await sql.raw("""
            SELECT m.case_id, m.created_at FROM messages m JOIN cases c ON c.id = m.case_id JOIN users u ON u.id = m.author_id
            WHERE c.created_at >= \(bind: start) AND c.created_at < \(bind: end) AND m.visibility = 'public' AND u.role <> 'customer'
            ORDER BY m.case_id, m.created_at
            """).all()
        var gaps = DurationHistogram()
        var previous: (UUID, Date)?
        for row in rows {
            let caseID = try row.decode(column: "case_id", as: UUID.self), at = try row.decode(column: "created_at", as: Date.self)
            if let (lastCase, lastAt) = previous, lastCase == caseID { gaps.add(minutes: max(0, at.timeIntervalSince(lastAt) / 60)) }
            previous = (caseID, at)
        }
        return gaps
    }
}
