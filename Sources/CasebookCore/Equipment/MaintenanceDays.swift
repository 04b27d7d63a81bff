/// The days a maintenance team works: visits that fall on other days move to the next working day.
public struct MaintenanceDays: Sendable, Equatable {
    public let weekdays: Set<Weekday>
    public let holidays: Set<LocalDate>

    public init(weekdays: Set<Weekday>, holidays: Set<LocalDate> = []) {
        self.weekdays = weekdays
        self.holidays = holidays
    }

    /// Every day of the year, holidays included (a 24×7 site).
    public static let everyDay = MaintenanceDays(weekdays: Set(Weekday.allCases))

    /// The days a business calendar has working hours on, less its holidays.
    public init(calendar: BusinessCalendar) {
        self.init(weekdays: Set(calendar.periods.map(\.weekday)), holidays: calendar.holidays)
    }

    public func isOpen(_ day: LocalDate) -> Bool { weekdays.contains(day.weekday) && !holidays.contains(day) }

    /// `day` itself when open, else the next open day (nil when no weekday is open at all).
    public func rolledForward(_ day: LocalDate) -> LocalDate? {
        guard !weekdays.isEmpty else { return nil }
        var candidate = day
        // Holidays are finite, so a year ahead always reaches an open day when any weekday is open.
        for _ in 0..<400 {
            if isOpen(candidate) { return candidate }
            candidate = candidate.adding(days: 1)
        }
        return nil
    }
}
