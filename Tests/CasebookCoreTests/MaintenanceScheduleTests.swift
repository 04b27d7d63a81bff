@testable import CasebookCore
import Foundation
import Testing

@Suite("Preventive maintenance recurrence")
struct MaintenanceScheduleTests {
    func day(_ text: String) -> LocalDate { LocalDate(parsing: text)! }

    @Test("criticality sets the default frequency: daily, weekly, monthly, quarterly")
    func criticalityDefaults() {
        let start = day("2026-01-05")
        let expectations: [(AssetCriticality, String)] = [
            (.missionCritical, "2026-01-06"), (.high, "2026-01-12"), (.normal, "2026-02-05"), (.low, "2026-04-05"),
        ]
        for (criticality, second) in expectations {
            let schedule = MaintenanceSchedule.forAsset(criticality: criticality, anchor: start)
            #expect(schedule.dueDates(in: start...day("2026-12-31")).prefix(2) == [start, day(second)], "\(criticality)")
        }
    }

    @Test("an override replaces the criticality default")
    func override() {
        let schedule = MaintenanceSchedule.forAsset(criticality: .low, override: MaintenanceInterval(count: 2, unit: .week), anchor: day("2026-03-02"))
        #expect(schedule.interval == MaintenanceInterval(count: 2, unit: .week))
        #expect(schedule.dueDates(in: day("2026-03-01")...day("2026-03-31")) == [day("2026-03-02"), day("2026-03-16"), day("2026-03-30")])
        #expect(throws: MaintenanceError.self) { try MaintenanceInterval(count: 0, unit: .day).validated() }
        #expect(throws: MaintenanceError.self) { try MaintenanceInterval(count: 61, unit: .month).validated() }
    }

    @Test("month ends clamp to short months and come back to the 31st")
    func monthEnds() {
        let schedule = MaintenanceSchedule(anchor: day("2027-01-31"), interval: MaintenanceInterval(count: 1, unit: .month))
        #expect(schedule.dueDates(in: day("2027-01-01")...day("2027-05-31")).map(\.description)
            == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"])
        let leap = MaintenanceSchedule(anchor: day("2027-11-30"), interval: MaintenanceInterval(count: 3, unit: .month))
        #expect(leap.dueDates(in: day("2027-11-01")...day("2028-09-30")).map(\.description)
            == ["2027-11-30", "2028-02-29", "2028-05-30", "2028-08-30"])
    }

    @Test("visits on holidays and closed days move to the next open day, and two landing together become one")
    func holidays() {
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        let days = MaintenanceDays(weekdays: weekdays, holidays: [day("2026-12-08"), day("2026-12-25")])
        let monthly = MaintenanceSchedule(anchor: day("2026-10-08"), interval: MaintenanceInterval(count: 1, unit: .month), days: days)
        // 8 Nov is a Sunday, 8 Dec a holiday (Tuesday).
        #expect(monthly.dueDates(in: day("2026-10-01")...day("2026-12-31")).map(\.description) == ["2026-10-08", "2026-11-09", "2026-12-09"])
        let daily = MaintenanceSchedule(anchor: day("2026-12-24"), interval: MaintenanceInterval(count: 1, unit: .day), days: days)
        // Thursday 24th, Friday 25th holiday, weekend: all of 25–27 roll to Monday 28th.
        #expect(daily.dueDates(in: day("2026-12-24")...day("2026-12-29")).map(\.description) == ["2026-12-24", "2026-12-28", "2026-12-29"])
        #expect(MaintenanceDays(weekdays: []).rolledForward(day("2026-12-24")) == nil)
        let calendar = try! BusinessCalendar(timeZone: TimeZone(identifier: "Europe/Madrid")!,
                                             periods: [try! WorkingPeriod(.monday, from: 540, to: 1020)], holidays: [day("2026-12-07")])
        #expect(MaintenanceDays(calendar: calendar).rolledForward(day("2026-12-07")) == day("2026-12-14"))
    }

    @Test("work orders are generated within the lead time, once, and catch up after downtime")
    func workOrderGeneration() {
        let weekly = MaintenanceSchedule(anchor: day("2026-11-02"), interval: MaintenanceInterval(count: 1, unit: .week), leadDays: 3)
        #expect(weekly.workOrdersToGenerate(today: day("2026-11-01"), generatedThrough: nil).isEmpty == false)
        #expect(weekly.workOrdersToGenerate(today: day("2026-11-01"), generatedThrough: nil) == [day("2026-11-02")])
        #expect(weekly.workOrdersToGenerate(today: day("2026-11-01"), generatedThrough: day("2026-11-02")).isEmpty)
        // Down for two weeks: the missed visits are generated (overdue), then the upcoming one.
        #expect(weekly.workOrdersToGenerate(today: day("2026-11-20"), generatedThrough: day("2026-11-02")).map(\.description)
            == ["2026-11-09", "2026-11-16", "2026-11-23"])
        #expect(weekly.nextDue(onOrAfter: day("2026-11-03")) == day("2026-11-09"))
        // A new schedule whose anchor is long past starts from today, not from years of back-visits.
        let old = MaintenanceSchedule(anchor: day("2020-01-01"), interval: MaintenanceInterval(count: 1, unit: .day))
        #expect(old.workOrdersToGenerate(today: day("2026-11-20"), generatedThrough: nil) == [day("2026-11-20")])
    }

    @Test("property: every due date is open, ordered, unique, and no planned visit is skipped")
    func properties() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<300 {
            let unit = MaintenanceInterval.Unit.allCases[Int(random.next() % 3)]
            let interval = MaintenanceInterval(count: Int(random.next() % 4) + 1, unit: unit)
            let weekdays = Set(Weekday.allCases.filter { _ in random.next() % 3 != 0 })
            guard !weekdays.isEmpty else { continue }
            let start = LocalDate(dayNumber: 20_000 + Int(random.next() % 2_000))
            let holidays = Set((0..<10).map { _ in start.adding(days: Int(random.next() % 400)) })
            let days = MaintenanceDays(weekdays: weekdays, holidays: holidays)
            let schedule = MaintenanceSchedule(anchor: start, interval: interval, days: days)
            let range = start...start.adding(days: 365)
            let dates = schedule.dueDates(in: range)
            #expect(dates.allSatisfy(days.isOpen))
            #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 })
            // Each planned date inside the range has a due date on or after it, within the roll window.
            var n = 0
            while interval.occurrence(n, from: start) <= start.adding(days: 300) {
                let planned = interval.occurrence(n, from: start)
                #expect(dates.contains { $0 >= planned && $0.dayNumber - planned.dayNumber < 30 })
                n += 1
            }
        }
    }

    @Test("checklists: required items answered, failures explained, the result follows the answers")
    func checklists() throws {
        let items = [ChecklistItem(id: "fans", text: "Fans spin freely"), ChecklistItem(id: "filters", text: "Filters clean"),
                     ChecklistItem(id: "photo", text: "Photo of the rack", required: false)]
        try Checklist.validate(items)
        #expect(throws: MaintenanceError.self) { try Checklist.validate([]) }
        #expect(throws: MaintenanceError.self) { try Checklist.validate([items[0], items[0]]) }
        #expect(try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .pass), .init(itemID: "filters", outcome: .pass)]) == .passed)
        #expect(try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .pass), .init(itemID: "filters", outcome: .note, note: "dusty, cleaned")]) == .passedWithNotes)
        #expect(try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .fail, note: "fan 2 seized"), .init(itemID: "filters", outcome: .pass)]) == .failed)
        #expect(throws: MaintenanceError.self) { try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .pass)]) }
        #expect(throws: MaintenanceError.self) { try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .fail), .init(itemID: "filters", outcome: .pass)]) }
        #expect(throws: MaintenanceError.self) { try Checklist.evaluate(items, answers: [.init(itemID: "fans", outcome: .pass), .init(itemID: "filters", outcome: .pass), .init(itemID: "ghost", outcome: .pass)]) }
    }
}

@Suite("Maintenance calendar feed")
struct MaintenanceCalendarFeedTests {
    @Test("all-day events, escaped text, folded long lines, CRLF endings")
    func feed() {
        let visits = [
            MaintenanceCalendarFeed.Visit(uid: "wo-1@casebook", day: LocalDate(parsing: "2026-11-30")!, summary: "UPS, room B; check",
                                          location: "Madrid\nfloor 2", description: String(repeating: "é", count: 60), status: .scheduled),
            MaintenanceCalendarFeed.Visit(uid: "plan-1@casebook", day: LocalDate(parsing: "2026-12-31")!, summary: "Chiller", status: .planned),
        ]
        let text = MaintenanceCalendarFeed.write(visits, name: "Maintenance", stamp: Date(timeIntervalSince1970: 1_795_417_200))
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("DTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261201\r\n"))
        #expect(text.contains("SUMMARY:UPS\\, room B\\; check\r\n"))
        #expect(text.contains("LOCATION:Madrid\\nfloor 2\r\n"))
        #expect(text.contains("DTSTAMP:20261123T070000Z"))
        #expect(text.contains("STATUS:TENTATIVE") && text.contains("STATUS:CONFIRMED"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // Unfolding gives back the description whole.
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains("DESCRIPTION:" + String(repeating: "é", count: 60)))
    }
}
