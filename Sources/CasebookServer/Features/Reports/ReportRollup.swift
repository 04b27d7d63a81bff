import CasebookCore
import Foundation
import SQLKit

/// Keeps `report_days` current: every run re-summarises the days (of opening) whose cases, clocks or surveys changed since the last run.
struct ReportRollup {
    let services: CasebookServices
    /// How many of a day's cases are read at a time: about 25 ms of reading at a million cases, so a request that needs
    /// the same connection waits at most that long.
    var sliceSize = 500

    static let key = "reports.rollup"
    static let utc = BusinessCalendar.allHours()

    /// Returns how many days were re-summarised.
    @discardableResult
    func run() async throws -> Int {
        let sql = services.store.sql
        let now = services.clock()
        let watermark = try await ReportRecipientRepository.state("watermark", on: sql).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            ?? .distantPast
        var days = Set((try await ReportRecipientRepository.state("deferred", on: sql) ?? "").split(separator: ",").compactMap { LocalDate(parsing: String($0)) })
        for opened in try await ReportDayRepository.openingDaysChangedSince(watermark, on: sql) { days.insert(Self.utc.localDay(of: opened)) }
        let summaries = try await ReportDayRepository.summaryTimes(of: Array(days), on: sql)
        var deferred: [LocalDate] = [], done = 0
        for day in days.sorted() {
            if let last = summaries[day], now.timeIntervalSince(last.at) < Self.lag(casesOpened: last.cases) {
                deferred.append(day)
                continue
            }
            try await summarise(day, at: now)
            done += 1
        }
        // Anything written while this ran is newer than `now` and is picked up next time; deferred days are kept by name.
        let services = self.services, waiting = deferred.map(\.description).joined(separator: ",")
        try await services.store.write { db in
            let sql = services.store.sql(db)
            try await ReportRecipientRepository.setState("watermark", to: String(now.timeIntervalSince1970), on: sql)
            try await ReportRecipientRepository.setState("deferred", to: waiting, on: sql)
        }
        return done
    }

    /// How stale a day's figures may grow before they are summarised again: a second for every thousand cases opened that
    /// day. A desk's ordinary day (a few thousand cases) is redone on every run; a day of a bulk load (a million cases,
    /// minutes of half a core) at most every 17 minutes, instead of all the time.
    static func lag(casesOpened: Int) -> TimeInterval {
        Double(casesOpened) / 1_000
    }

    /// Re-summarises the cases opened on one day, a slice at a time.
    func summarise(_ day: LocalDate, at now: Date) async throws {
        let sql = services.store.sql
        let start = Self.utc.instant(day, minute: 0), end = Self.utc.instant(day.adding(days: 1), minute: 0)
        var tally = DayTally()
        var after: (createdAt: Date, number: Int)?
        while true {
            let began = ContinuousClock.now
            let slice = try await ReportDayRepository.opened(from: start, to: end, after: after, limit: sliceSize, on: sql)
            for row in slice { tally.add(row) }
            tally.addUpdates(try await ReportDayRepository.staffUpdates(onCases: slice.map(\.id), on: sql))
            guard slice.count == sliceSize, let last = slice.last else { break }
            after = (last.createdAt, last.number)
            // Background work in slices, resting as long as each took: a day of a bulk load (a million cases, some
            // twenty seconds of reading) takes at most half a core, and requests never queue behind the whole of it.
            try await Task.sleep(for: ContinuousClock.now - began)
        }
        let summary = tally.day(day)
        let services = self.services
        try await services.store.write { db in try await ReportDayRepository.save(summary, at: now, on: services.store.sql(db)) }
        // Only after a bulk-load day: an ordinary day's slices are small, and the heap keeps little of them.
        if tally.created >= SearchIndexer.trimAfter * 100 { HeapTrim.release() }
    }
}

/// The running totals of one day's rollup, added to a slice of cases at a time.
struct DayTally {
    private(set) var created = 0
    private var solved = 0, slaCases = 0, slaBreached = 0, satisfactionSum = 0, satisfactionCount = 0
    private var firstResponse = DurationHistogram(), resolution = DurationHistogram(), updateGaps = DurationHistogram()
    private var categories: [String: Int] = [:], products: [String: Int] = [:], versions: [String: Int] = [:]

    mutating func add(_ row: ReportDayRepository.Opened) {
        created += 1
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

    /// The minutes between consecutive customer-visible staff updates on a case (ordered by case, then time): how long
    /// a customer waits between hearing from support, which first-response and resolution times do not show.
    mutating func addUpdates(_ updates: [(caseID: UUID, at: Date)]) {
        var previous: (UUID, Date)?
        for (caseID, at) in updates {
            if let (lastCase, lastAt) = previous, lastCase == caseID { updateGaps.add(minutes: max(0, at.timeIntervalSince(lastAt) / 60)) }
            previous = (caseID, at)
        }
    }

    func day(_ day: LocalDate) -> ReportQueries.Day {
        ReportQueries.Day(day: day, created: created, solved: solved, firstResponse: firstResponse, resolution: resolution,
                          slaCases: slaCases, slaBreached: slaBreached, categories: categories, products: products, versions: versions,
                          satisfactionSum: satisfactionSum, satisfactionCount: satisfactionCount, updateGaps: updateGaps)
    }
}
