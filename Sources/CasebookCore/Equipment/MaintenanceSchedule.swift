/// A recurring maintenance plan for one asset: when visits fall due and how early work orders are made.
public struct MaintenanceSchedule: Sendable, Equatable {
    /// The first visit's date; later ones follow from it (so month-end dates stay month-end).
    public let anchor: LocalDate
    public let interval: MaintenanceInterval
    public let days: MaintenanceDays
    /// How many days before a visit its work order is generated.
    public let leadDays: Int

    public init(anchor: LocalDate, interval: MaintenanceInterval, days: MaintenanceDays = .everyDay, leadDays: Int = 0) {
        self.anchor = anchor
        self.interval = interval
        self.days = days
        self.leadDays = max(0, leadDays)
    }

    /// The schedule an asset gets from its criticality, unless `override` names another interval.
    public static func forAsset(criticality: AssetCriticality, override: MaintenanceInterval? = nil, anchor: LocalDate,
                                days: MaintenanceDays = .everyDay, leadDays: Int? = nil) -> MaintenanceSchedule {
        let interval = override ?? criticality.defaultInterval
        // Daily visits are made the day before; monthly ones a week ahead, so technicians can plan.
        let lead = leadDays ?? (interval.unit == .day ? 1 : interval.unit == .week ? 3 : 7)
        return MaintenanceSchedule(anchor: anchor, interval: interval, days: days, leadDays: lead)
    }

    /// Due dates in `range`, each moved to an open day; two visits landing on one day become one.
    public func dueDates(in range: ClosedRange<LocalDate>, limit: Int = 1_000) -> [LocalDate] {
        var result: [LocalDate] = []
        var n = firstOccurrence(onOrAfter: range.lowerBound.adding(days: -400))
        while result.count < limit {
            let planned = interval.occurrence(n, from: anchor)
            n += 1
            // A visit rolls forward at most a year; once planned dates pass the range, nothing later can fall in it.
            if planned > range.upperBound { break }
            guard let due = days.rolledForward(planned), range.contains(due) else { continue }
            if result.last != due { result.append(due) }
        }
        return result
    }

    /// The first visit due on or after `day`, if any day is open.
    public func nextDue(onOrAfter day: LocalDate) -> LocalDate? {
        dueDates(in: max(day, anchor)...max(day, anchor).adding(days: 800), limit: 1).first
    }

    /// Work orders to create today: visits after the last one generated (or from today for a new schedule)
    /// that are due within the lead time.
    public func workOrdersToGenerate(today: LocalDate, generatedThrough: LocalDate?, limit: Int = 400) -> [LocalDate] {
        let start = generatedThrough.map { $0.adding(days: 1) } ?? max(anchor, today)
        let end = today.adding(days: leadDays)
        guard start <= end else { return [] }
        return dueDates(in: start...end, limit: limit)
    }

    /// The index of the first occurrence whose planned date is on or after `day` (0 before the anchor).
    private func firstOccurrence(onOrAfter day: LocalDate) -> Int {
        guard day > anchor else { return 0 }
        let span = day.dayNumber - anchor.dayNumber
        let approximate: Int
        switch interval.unit {
        case .day: approximate = span / interval.count
        case .week: approximate = span / (7 * interval.count)
        case .month: approximate = span / (31 * interval.count)
        }
        var n = max(0, approximate - 1)
        while interval.occurrence(n, from: anchor) < day { n += 1 }
        return n
    }
}
