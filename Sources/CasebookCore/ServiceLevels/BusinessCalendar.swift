import Foundation

/// When a support team works: a time zone, weekly hours (overnight shifts allowed) and holidays.
///
/// All service-level arithmetic goes through the two functions here, `workingSeconds(from:to:)`
/// and `date(addingWorkingSeconds:to:)`. They walk real instants, so a shift that spans a
/// daylight-saving change counts the hour that was actually worked, no more and no less.
public struct BusinessCalendar: Sendable, Equatable {
    public let timeZone: TimeZone
    public let periods: [WorkingPeriod]
    public let holidays: Set<LocalDate>
    private let byWeekday: [[WorkingPeriod]]
    private let alwaysOpen: Bool
    /// Shifts per day, computed once: recomputing 100,000 cases' clocks asks about the same days over and over.
    private let cache = DayIntervalCache()

    /// How far ahead a due time is searched for before the calendar is declared to have no working time.
    static let horizonDays = 3 * 366

    public init(timeZone: TimeZone, periods: [WorkingPeriod], holidays: Set<LocalDate> = []) throws(ServiceLevelError) {
        guard !periods.isEmpty else { throw ServiceLevelError.invalid("calendar", "needs at least one working period") }
        try Self.checkNoOverlap(periods)
        self.timeZone = timeZone
        self.periods = periods.sorted { ($0.weekday.index, $0.startMinute) < ($1.weekday.index, $1.startMinute) }
        self.holidays = holidays
        var byWeekday = Array(repeating: [WorkingPeriod](), count: 7)
        for period in self.periods { byWeekday[period.weekday.index].append(period) }
        self.byWeekday = byWeekday
        let total = periods.reduce(0) { $0 + $1.lengthMinutes }
        alwaysOpen = total == 7 * 1440 && holidays.isEmpty
    }

    /// Every hour of every day, with no holidays (critical contracts).
    public static func allHours(timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> BusinessCalendar {
        // Seven whole days never overlap, so this cannot throw.
        try! BusinessCalendar(timeZone: timeZone, periods: Weekday.allCases.map { try! WorkingPeriod($0, from: 0, to: 1440) })
    }

    /// Working time in `[start, end)`; zero when `end` is not after `start`.
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        if alwaysOpen { return end.timeIntervalSince(start) }
        let a = start.timeIntervalSince1970, b = end.timeIntervalSince1970
        var total = 0.0
        var day = localDay(of: start).adding(days: -1)
        let last = localDay(of: end)
        while day <= last {
            for interval in intervals(startingOn: day) where interval.upperBound > a && interval.lowerBound < b {
                total += min(interval.upperBound, b) - max(interval.lowerBound, a)
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// The instant at which `seconds` of working time after `start` have passed; nil if the
    /// calendar has no working time within three years (every day a holiday).
    public func date(addingWorkingSeconds seconds: TimeInterval, to start: Date) -> Date? {
        guard seconds > 0 else { return start }
        if alwaysOpen { return start.addingTimeInterval(seconds) }
        let a = start.timeIntervalSince1970
        var remaining = seconds
        var day = localDay(of: start).adding(days: -1)
        for _ in 0..<Self.horizonDays {
            for interval in intervals(startingOn: day) where interval.upperBound > a {
                let from = max(interval.lowerBound, a)
                let available = interval.upperBound - from
                if available >= remaining { return Date(timeIntervalSince1970: from + remaining) }
                remaining -= available
            }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// Whether `date` falls in working time.
    public func isWorking(at date: Date) -> Bool {
        let t = date.timeIntervalSince1970
        let day = localDay(of: date)
        return [day.adding(days: -1), day].contains { d in intervals(startingOn: d).contains { $0.contains(t) } }
    }

    /// The local calendar day an instant falls on.
    public func localDay(of date: Date) -> LocalDate {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        return LocalDate(dayNumber: Int((local / 86_400).rounded(.down)))
    }

    /// The instant a local wall-clock time happens; in a spring-forward gap, the moment after the gap.
    public func instant(_ day: LocalDate, minute: Int) -> Date {
        let local = Double(day.dayNumber) * 86_400 + Double(minute) * 60
        let guess = local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        let offset = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        return Date(timeIntervalSince1970: local - offset)
    }

    /// The shifts that start on `day`, as Unix-time intervals in order.
    private func intervals(startingOn day: LocalDate) -> [Range<Double>] {
        if let known = cache.get(day.dayNumber) { return known }
        let computed = computeIntervals(startingOn: day)
        cache.set(day.dayNumber, computed)
        return computed
    }

    private func computeIntervals(startingOn day: LocalDate) -> [Range<Double>] {
        if holidays.contains(day) { return [] }
        return byWeekday[day.weekday.index].compactMap { period in
            let start = instant(day, minute: period.startMinute).timeIntervalSince1970
            let endDay = period.endMinute > period.startMinute ? day : day.adding(days: 1)
            let end = instant(endDay, minute: period.endMinute).timeIntervalSince1970
            return end > start ? start..<end : nil
        }
    }

    private static func checkNoOverlap(_ periods: [WorkingPeriod]) throws(ServiceLevelError) {
        let week = 7 * 1440
        var ranges: [(Int, Int)] = []
        for period in periods {
            let start = period.weekday.index * 1440 + period.startMinute
            let end = start + period.lengthMinutes
            if end <= week { ranges.append((start, end)) } else { ranges.append((start, week)); ranges.append((0, end - week)) }
        }
        ranges.sort { $0.0 < $1.0 }
        for (earlier, later) in zip(ranges, ranges.dropFirst()) where later.0 < earlier.1 {
            throw ServiceLevelError.invalid("calendar", "has working periods that overlap")
        }
    }

    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.timeZone.identifier == rhs.timeZone.identifier && lhs.periods == rhs.periods && lhs.holidays == rhs.holidays
    }
}

/// A bounded, thread-safe memo of each day's working intervals for one calendar.
private final class DayIntervalCache: @unchecked Sendable {
    private let lock = NSLock()
    private var days: [Int: [Range<Double>]] = [:]

    func get(_ day: Int) -> [Range<Double>]? {
        lock.lock()
        defer { lock.unlock() }
        return days[day]
    }

    func set(_ day: Int, _ intervals: [Range<Double>]) {
        lock.lock()
        defer { lock.unlock() }
        if days.count > 50_000 { days.removeAll(keepingCapacity: true) }
        days[day] = intervals
    }
}

extension Weekday {
    /// Monday 0 … Sunday 6.
    var index: Int {
        switch self {
        case .monday: 0
        case .tuesday: 1
        case .wednesday: 2
        case .thursday: 3
        case .friday: 4
        case .saturday: 5
        case .sunday: 6
        }
    }
}
