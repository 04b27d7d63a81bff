import CasebookCore
import SQLKit
import Vapor

/// `/calendars`: business hours, time zones and holidays that SLA clocks run on.
struct CalendarController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let calendars = routes.grouped("calendars")
        calendars.get(use: list)
        calendars.post(use: create)
        calendars.get(":id", use: show)
        calendars.patch(":id", use: update)
        calendars.on(.POST, ":id", "holidays", "import", body: .collect(maxSize: ByteCount(value: Self.maxImportBytes)), use: importHolidays)
    }

    /// Largest .ics file accepted: a national calendar for decades is a few tens of kilobytes.
    static let maxImportBytes = 2 * 1024 * 1024

    @Sendable func list(req: Request) async throws -> [CalendarView] {
        try req.authorize(.readServiceLevels)
        return try await CalendarRepository.list(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> CalendarView {
        try req.authorize(.readServiceLevels)
        return try await Self.find(req, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(CalendarWrite.self)
        guard let name = input.name else { throw Problem.invalid("name", "is required") }
        guard let zone = input.timeZone else { throw Problem.invalid("time_zone", "is required") }
        guard let periods = input.periods else { throw Problem.invalid("periods", "is required") }
        let holidays = input.holidays ?? []
        let cleanName = try Validate.name(name, field: "name")
        try Self.check(zone: zone, periods: periods, holidays: holidays)
        let now = req.now
        let id = RecordID.make()
        let view = CalendarView(id: id, name: cleanName, timeZone: zone, periods: periods, holidays: Self.normalised(holidays), updatedAt: now)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            guard try await !CalendarRepository.nameTaken(cleanName, byOtherThan: nil, on: sql) else {
                throw Problem.conflict("A calendar named '\(cleanName)' already exists.")
            }
            try await CalendarRepository.insert(view, at: now, on: sql)
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> CalendarView {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(CalendarWrite.self)
        let now = req.now
        let view = try await req.store.write { db -> CalendarView in
            let sql = req.store.sql(db)
            var view = try await Self.find(req, on: sql)
            if let name = input.name {
                let cleanName = try Validate.name(name, field: "name")
                if try await CalendarRepository.nameTaken(cleanName, byOtherThan: view.id, on: sql) {
                    throw Problem.conflict("A calendar named '\(cleanName)' already exists.")
                }
                view.name = cleanName
            }
            if let zone = input.timeZone { view.timeZone = zone }
            if let periods = input.periods { view.periods = periods }
            if let holidays = input.holidays { view.holidays = Self.normalised(holidays) }
            try Self.check(zone: view.timeZone, periods: view.periods, holidays: view.holidays)
            view.updatedAt = now
            try await CalendarRepository.update(view, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return view
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return view
    }

    /// The outcome of a holiday import.
    struct ImportResult: Content {
        var added: Int
        var calendar: CalendarView
    }

    /// Adds the holidays in an iCalendar (.ics) body; days already present are kept as they are.
    @Sendable func importHolidays(req: Request) async throws -> ImportResult {
        try req.authorize(.manageServiceLevels)
        guard let body = req.body.data, body.readableBytes > 0 else { throw Problem.invalid("body", "must be an iCalendar file") }
        guard body.readableBytes <= Self.maxImportBytes else {
            throw Problem(status: .payloadTooLarge, slug: "too-large", title: "File too large",
                          detail: "The file is \(body.readableBytes) bytes; the limit is \(Self.maxImportBytes).")
        }
        guard let text = String(validating: Array(buffer: body), as: UTF8.self) else {
            throw Problem.invalid("body", "is not UTF-8 text; save the iCalendar file as UTF-8 and import it again")
        }
        let parsed = try HolidayCalendarFile.parse(text)
        let now = req.now
        let result = try await req.store.write { db -> ImportResult in
            let sql = req.store.sql(db)
            var view = try await Self.find(req, on: sql)
            let known = Set(view.holidays.map(\.date))
            let fresh = parsed.filter { !known.contains($0.date) }.map { CalendarCodec.Holiday(date: $0.date, name: $0.name) }
            view.holidays = Self.normalised(view.holidays + fresh)
            view.updatedAt = now
            try await CalendarRepository.update(view, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return ImportResult(added: Set(fresh.map(\.date)).count, calendar: view)
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return result
    }

    static func check(zone: String, periods: [WorkingPeriod], holidays: [CalendarCodec.Holiday]) throws {
        guard TimeZone(identifier: zone) != nil else { throw Problem.invalid("time_zone", "must be an IANA time zone such as Europe/Madrid") }
        guard holidays.count <= 5000 else { throw Problem.invalid("holidays", "may list at most 5000 days") }
        _ = try BusinessCalendar(timeZone: TimeZone(identifier: zone)!, periods: periods, holidays: Set(holidays.map(\.date)))
    }

    /// One entry per day, in date order.
    static func normalised(_ holidays: [CalendarCodec.Holiday]) -> [CalendarCodec.Holiday] {
        var seen = Set<LocalDate>()
        return holidays.sorted { $0.date < $1.date }.filter { seen.insert($0.date).inserted }
    }

    static func find(_ req: Request, on sql: any SQLDatabase) async throws -> CalendarView {
        guard let id = req.parameters.get("id", as: UUID.self), let view = try await CalendarRepository.find(id, on: sql)
        else { throw Problem.notFound("The calendar") }
        return view
    }
}
