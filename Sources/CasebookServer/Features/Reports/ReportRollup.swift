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
        let watermark = try await ReportRecipientRepository.state("watermark", on: sql).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            ?? .distantPast
        var days = Set<LocalDate>()
        for opened in try await ReportDayRepository.openingsChangedSince(watermark, on: sql) { days.insert(Self.utc.localDay(of: opened)) }
        for day in days.sorted() { try await summarise(day, at: now) }
        // Anything written while this ran is newer than `now` and is picked up next time.
        let services = self.services
        try await services.store.write { db in
            try await ReportRecipientRepository.setState("watermark", to: String(now.timeIntervalSince1970), on: services.store.sql(db))
        }
        return days.count
    }

    /// Re-summarises the cases opened on one day.
    func summarise(_ day: LocalDate, at now: Date) async throws {
        let sql = services.store.sql
        let start = Self.utc.instant(day, minute: 0), end = Self.utc.instant(day.adding(days: 1), minute: 0)
        let rows = try await ReportDayRepository.opened(from: start, to: end, on: sql)
        var firstResponse = DurationHistogram(), resolution = DurationHistogram()
        var solved = 0, slaCases = 0, slaBreached = 0, satisfactionSum = 0, satisfactionCount = 0
        var categories: [String: Int] = [:], products: [String: Int] = [:], versions: [String: Int] = [:]
        for row in rows {
            if let first = row.firstResponseAt { firstResponse.add(minutes: max(0, first.timeIntervalSince(row.createdAt) / 60)) }
            if let done = row.solvedAt {
                solved += 1
                resolution.add(minutes: max(0, done.timeIntervalSince(row.createdAt) / 60))
            }
            if let breached = row.breached {
                slaCases += 1
                if !breached.isEmpty { slaBreached += 1 }
            }
            if let score = row.score {
                satisfactionSum += score
                satisfactionCount += 1
            }
            if let id = row.categoryID { categories[id.uuidString.lowercased(), default: 0] += 1 }
            if let id = row.productID { products[id.uuidString.lowercased(), default: 0] += 1 }
            if let id = row.productVersionID { versions[id.uuidString.lowercased(), default: 0] += 1 }
        }
        let summary = ReportQueries.Day(day: day, created: rows.count, solved: solved, firstResponse: firstResponse, resolution: resolution,
                                        slaCases: slaCases, slaBreached: slaBreached, categories: categories, products: products, versions: versions,
                                        satisfactionSum: satisfactionSum, satisfactionCount: satisfactionCount,
                                        updateGaps: try await Self.updateGaps(from: start, to: end, on: sql))
        let services = self.services
        try await services.store.write { db in try await ReportDayRepository.save(summary, at: now, on: services.store.sql(db)) }
    }

    /// The minutes between consecutive customer-visible staff updates on the cases opened in [start, end): how long a
    /// customer waits between hearing from support, which first-response and resolution times do not show.
    static func updateGaps(from start: Date, to end: Date, on sql: any SQLDatabase) async throws -> DurationHistogram {
        var gaps = DurationHistogram()
        var previous: (UUID, Date)?
        for (caseID, at) in try await ReportDayRepository.staffUpdates(from: start, to: end, on: sql) {
            if let (lastCase, lastAt) = previous, lastCase == caseID { gaps.add(minutes: max(0, at.timeIntervalSince(lastAt) / 60)) }
            previous = (caseID, at)
        }
        return gaps
    }
}
