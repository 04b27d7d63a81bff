import CasebookCore
import Foundation
import SQLKit

/// Keeps `report_days` current: every run redoes the parts of days (of opening) whose cases, clocks or surveys changed
/// since the last run, and merges each such day's parts again.
///
/// A part is the cases of one day numbered within one block of `partSize`: a change redoes at most that many cases, so
/// a new case on a day of a million (a bulk load) costs one block, not the day.
struct ReportRollup {
    let services: CasebookServices
    /// How many of a part's cases are read at a time: about 25 ms of reading at a million cases, so a request that
    /// needs the same connection waits at most that long.
    var sliceSize = 500
    /// How many case numbers a part spans.
    var partSize = 10_000

    static let key = "reports.rollup"
    static let utc = BusinessCalendar.allHours()

    /// Returns how many days were summarised again.
    @discardableResult
    func run() async throws -> Int {
        let sql = services.store.sql
        let now = services.clock()
        let watermark = try await ReportRecipientRepository.state("watermark", on: sql).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            ?? .distantPast
        var parts = Set((try await ReportRecipientRepository.state("deferred", on: sql) ?? "").split(separator: ",").compactMap { DayPart(name: $0) })
        for (opened, part) in try await ReportDayPartRepository.changedParts(since: watermark, partSize: partSize, on: sql) {
            parts.insert(DayPart(day: Self.utc.localDay(of: opened), part: part))
        }
        let summaries = try await ReportDayPartRepository.summaryTimes(of: Array(parts), on: sql)
        var deferred: [DayPart] = [], redone = Set<LocalDate>(), cases = 0
        for part in parts.sorted() {
            if let last = summaries[part], now.timeIntervalSince(last.at) < Self.lag(casesOpened: last.cases) {
                deferred.append(part)
                continue
            }
            cases += try await summarise(part, at: now)
            redone.insert(part.day)
        }
        let services = self.services
        for day in redone.sorted() {
            let summary = try await ReportDayPartRepository.merged(day, on: sql).day(day)
            try await services.store.write { db in try await ReportDayRepository.save(summary, at: now, on: services.store.sql(db)) }
        }
        // Anything written while this ran is newer than `now` and is picked up next time; deferred parts are kept by name.
        let waiting = deferred.map(\.name).joined(separator: ",")
        try await services.store.write { db in
            let sql = services.store.sql(db)
            try await ReportRecipientRepository.setState("watermark", to: String(now.timeIntervalSince1970), on: sql)
            try await ReportRecipientRepository.setState("deferred", to: waiting, on: sql)
        }
        // Only after a large run (the first after a bulk load): an ordinary run's slices are small, and the heap keeps little.
        if cases >= SearchIndexer.trimAfter * 100 { HeapTrim.release() }
        return redone.count
    }

    /// How stale a part's figures may grow before they are summarised again: a second for every thousand of its cases.
    /// A desk's ordinary part is redone on every run; one filled by a bulk load (ten thousand cases, half a second of
    /// reading) at most every ten seconds, however often its cases change.
    static func lag(casesOpened: Int) -> TimeInterval {
        Double(casesOpened) / 1_000
    }

    /// Summarises one part again, a slice at a time; returns how many cases it holds.
    func summarise(_ part: DayPart, at now: Date) async throws -> Int {
        let sql = services.store.sql
        let start = Self.utc.instant(part.day, minute: 0), end = Self.utc.instant(part.day.adding(days: 1), minute: 0)
        let numbers = part.part * partSize ..< (part.part + 1) * partSize
        var tally = DayTally()
        var after: Int?
        while true {
            let began = ContinuousClock.now
            let slice = try await ReportDayRepository.opened(from: start, to: end, numbers: numbers, after: after, limit: sliceSize, on: sql)
            for row in slice { tally.add(row) }
            tally.addUpdates(try await ReportDayRepository.staffUpdates(onCases: slice.map(\.id), on: sql))
            guard slice.count == sliceSize, let last = slice.last else { break }
            after = last.number
            // Background work in slices, resting as long as each took: it takes at most half a core, and requests never
            // queue behind more than one slice.
            try await Task.sleep(for: ContinuousClock.now - began)
        }
        let services = self.services, result = tally
        try await services.store.write { db in try await ReportDayPartRepository.save(result, of: part, at: now, on: services.store.sql(db)) }
        return tally.created
    }
}
