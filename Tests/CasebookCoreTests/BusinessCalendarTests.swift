import CasebookCore
import Foundation
import Testing

/// Calendars used across the service-level tests.
enum Calendars {
    static let madrid = TimeZone(identifier: "Europe/Madrid")!

    static func officeHours(_ zone: TimeZone = madrid, holidays: Set<LocalDate> = []) -> BusinessCalendar {
        let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        return try! BusinessCalendar(timeZone: zone, periods: weekdays.map { try! WorkingPeriod($0, from: 9 * 60, to: 17 * 60) }, holidays: holidays)
    }

    /// Every night 22:00–06:00, plus Saturday mornings: overnight shifts across day and DST boundaries.
    static func nights(holidays: Set<LocalDate> = []) -> BusinessCalendar {
        var periods = Weekday.allCases.map { try! WorkingPeriod($0, from: 22 * 60, to: 6 * 60) }
        periods.append(try! WorkingPeriod(.saturday, from: 8 * 60, to: 12 * 60))
        return try! BusinessCalendar(timeZone: madrid, periods: periods, holidays: holidays)
    }

    /// A wall-clock time in Madrid.
    static func at(_ day: String, _ time: String, _ zone: TimeZone = madrid) -> Date {
        let calendar = try! BusinessCalendar(timeZone: zone, periods: [try! WorkingPeriod(.monday, from: 0, to: 60)])
        return calendar.instant(LocalDate(parsing: day)!, minute: WorkingPeriod.minutes(time)!)
    }
}

@Suite("Business calendar arithmetic")
struct BusinessCalendarTests {
    static let hour = 3600.0

    @Test("local dates: civil arithmetic round-trips and knows its weekdays")
    func localDates() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let day = LocalDate(dayNumber: Int.random(in: -50_000...80_000, using: &random))
            let (y, m, d) = day.components
            #expect(LocalDate(year: y, month: m, day: d) == day)
            #expect(LocalDate(parsing: day.description) == day)
        }
        #expect(LocalDate(parsing: "2026-11-23")?.weekday == .monday)
        #expect(LocalDate(parsing: "20240229")?.weekday == .thursday)
        #expect(LocalDate(parsing: "2026-02-29") == nil && LocalDate(parsing: "2026-13-01") == nil && LocalDate(parsing: "26-1-1") == nil)
    }

    @Test("office hours: within a day, across a weekend, and over a holiday")
    func officeHours() {
        let calendar = Calendars.officeHours(holidays: [LocalDate(parsing: "2026-12-08")!])
        #expect(calendar.workingSeconds(from: Calendars.at("2026-11-23", "08:00"), to: Calendars.at("2026-11-23", "10:30")) == 1.5 * Self.hour)
        // Friday 16:00 + 2 h = Monday 10:00.
        #expect(calendar.date(addingWorkingSeconds: 2 * Self.hour, to: Calendars.at("2026-11-27", "16:00")) == Calendars.at("2026-11-30", "10:00"))
        // Monday 7 Dec 16:00 + 2 h skips the holiday on Tuesday 8 Dec.
        #expect(calendar.date(addingWorkingSeconds: 2 * Self.hour, to: Calendars.at("2026-12-07", "16:00")) == Calendars.at("2026-12-09", "10:00"))
        #expect(calendar.workingSeconds(from: Calendars.at("2026-12-07", "00:00"), to: Calendars.at("2026-12-10", "00:00")) == 16 * Self.hour)
        #expect(calendar.isWorking(at: Calendars.at("2026-11-23", "09:00")) && !calendar.isWorking(at: Calendars.at("2026-11-23", "17:00")))
        // Starting outside hours: the clock starts at the next opening.
        #expect(calendar.date(addingWorkingSeconds: 60, to: Calendars.at("2026-11-28", "12:00")) == Calendars.at("2026-11-30", "09:01"))
    }

    @Test("daylight saving: an overnight shift is 7 hours in spring and 9 in autumn; a day shift stays 8")
    func daylightSaving() {
        let nights = Calendars.nights()
        // Europe/Madrid springs forward at 02:00 on 29 March 2026 and falls back at 03:00 on 25 October 2026.
        #expect(nights.workingSeconds(from: Calendars.at("2026-03-28", "21:00"), to: Calendars.at("2026-03-29", "07:00")) == 7 * Self.hour)
        #expect(nights.workingSeconds(from: Calendars.at("2026-10-24", "21:00"), to: Calendars.at("2026-10-25", "07:00")) == 9 * Self.hour)
        let office = Calendars.officeHours()
        #expect(office.workingSeconds(from: Calendars.at("2026-03-30", "00:00"), to: Calendars.at("2026-03-31", "00:00")) == 8 * Self.hour)
        // New York changes on other dates; its own calendar follows its own rules.
        let newYork = Calendars.officeHours(TimeZone(identifier: "America/New_York")!)
        let start = Calendars.at("2026-03-06", "16:00", TimeZone(identifier: "America/New_York")!)
        #expect(newYork.date(addingWorkingSeconds: 2 * Self.hour, to: start) == Calendars.at("2026-03-09", "10:00", TimeZone(identifier: "America/New_York")!))
    }

    @Test("overnight shifts belong to the day they start on: a holiday cancels its own shift only")
    func overnightHolidays() {
        let holiday = LocalDate(parsing: "2026-12-25")!
        let nights = Calendars.nights(holidays: [holiday])
        // The shift starting on the 24th runs into the 25th in full; the one starting on the 25th does not
        // happen; Saturday the 26th adds its 08:00–12:00 morning.
        #expect(nights.workingSeconds(from: Calendars.at("2026-12-24", "12:00"), to: Calendars.at("2026-12-26", "12:00")) == 12 * Self.hour)
        #expect(!nights.isWorking(at: Calendars.at("2026-12-25", "23:00")))
        #expect(nights.isWorking(at: Calendars.at("2026-12-25", "05:00")))
    }

    @Test("a whole-week calendar counts wall time; overlapping periods and empty calendars are refused")
    func validation() throws {
        let always = BusinessCalendar.allHours(timeZone: Calendars.madrid)
        let a = Calendars.at("2026-03-28", "10:00"), b = Calendars.at("2026-03-30", "10:00")
        #expect(always.workingSeconds(from: a, to: b) == b.timeIntervalSince(a))
        #expect(throws: ServiceLevelError.self) {
            try BusinessCalendar(timeZone: Calendars.madrid, periods: [try WorkingPeriod(.monday, from: 22 * 60, to: 6 * 60),
                                                                      try WorkingPeriod(.tuesday, from: 5 * 60, to: 9 * 60)])
        }
        #expect(throws: ServiceLevelError.self) { try BusinessCalendar(timeZone: Calendars.madrid, periods: []) }
        #expect(throws: ServiceLevelError.self) { try WorkingPeriod(.monday, from: 600, to: 600) }
        let allHolidays = Set((0..<2000).map { LocalDate(parsing: "2026-01-01")!.adding(days: $0) })
        let closed = Calendars.officeHours(holidays: allHolidays)
        #expect(closed.date(addingWorkingSeconds: 60, to: Calendars.at("2026-01-01", "00:00")) == nil)
    }

    @Test("properties over random instants: adding then measuring gives the amount back, spans add up, never more than wall time",
          arguments: ["office", "nights", "always"])
    func properties(name: String) {
        let holidays: Set<LocalDate> = [LocalDate(parsing: "2026-12-25")!, LocalDate(parsing: "2026-03-29")!, LocalDate(parsing: "2026-10-25")!]
        let calendar = switch name {
        case "office": Calendars.officeHours(holidays: holidays)
        case "nights": Calendars.nights(holidays: holidays)
        default: BusinessCalendar.allHours(timeZone: Calendars.madrid)
        }
        var random = SeededRandom(seed: 42)
        let base = Calendars.at("2026-01-01", "00:00").timeIntervalSince1970
        for _ in 0..<400 {
            let start = Date(timeIntervalSince1970: base + Double(Int.random(in: 0..<(365 * 86_400), using: &random)))
            let amount = Double(Int.random(in: 1..<(200 * 3600), using: &random))
            guard let due = calendar.date(addingWorkingSeconds: amount, to: start) else { Issue.record("no due time"); continue }
            #expect(abs(calendar.workingSeconds(from: start, to: due) - amount) < 0.001)
            #expect(due.timeIntervalSince(start) >= amount - 0.001)
            let middle = Date(timeIntervalSince1970: start.timeIntervalSince1970 + Double(Int.random(in: 0...Int(due.timeIntervalSince(start)), using: &random)))
            let whole = calendar.workingSeconds(from: start, to: due)
            let parts = calendar.workingSeconds(from: start, to: middle) + calendar.workingSeconds(from: middle, to: due)
            #expect(abs(whole - parts) < 0.001)
            let more = calendar.date(addingWorkingSeconds: amount + 60, to: start)!
            #expect(more > due)
        }
    }

    @Test("holidays import from an iCalendar file: dates, multi-day events, folded lines and yearly rules")
    func icalendar() throws {
        let file = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        BEGIN:VEVENT\r
        DTSTART;VALUE=DATE:20261225\r
        DTEND;VALUE=DATE:20261227\r
        SUMMARY:Christmas\r
          and Boxing Day\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART;VALUE=DATE:20260101\r
        RRULE:FREQ=YEARLY;COUNT=3\r
        SUMMARY:New Year\\, again\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART:20260501T000000Z\r
        SUMMARY:Labour day\r
        END:VEVENT\r
        END:VCALENDAR\r
        """
        let holidays = try HolidayCalendarFile.parse(file)
        #expect(holidays.map(\.date.description) == ["2026-01-01", "2026-05-01", "2026-12-25", "2026-12-26", "2027-01-01", "2028-01-01"])
        #expect(holidays.first { $0.date.description == "2026-12-26" }?.name == "Christmas and Boxing Day")
        #expect(holidays.first?.name == "New Year, again")
        #expect(throws: ServiceLevelError.self) { try HolidayCalendarFile.parse("not a calendar") }
    }
}
