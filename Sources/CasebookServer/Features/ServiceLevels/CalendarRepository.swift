import CasebookCore
import Foundation
import SQLKit

/// Business calendars: working hours and holidays in a time zone, stored as JSON text.
enum CalendarRepository {
    static func list(on sql: any SQLDatabase) async throws -> [CalendarView] {
        try await sql.select().columns("*").from("business_calendars").orderBy("name").all().map(view)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> CalendarView? {
        try await sql.select().columns("*").from("business_calendars").where("id", .equal, id).first().map(view)
    }

    static func exists(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("business_calendars").where("id", .equal, id).first() != nil
    }

    /// Whether another calendar already has this name.
    static func nameTaken(_ name: String, byOtherThan id: UUID?, on sql: any SQLDatabase) async throws -> Bool {
        var select = sql.select().column("id").from("business_calendars").where("name", .equal, name)
        if let id { select = select.where("id", .notEqual, id) }
        return try await select.first() != nil
    }

    static func insert(_ view: CalendarView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "business_calendars")
            .columns("id", "name", "time_zone", "periods", "holidays", "created_at", "updated_at")
            .values(SQLBind(view.id), SQLBind(view.name), SQLBind(view.timeZone), SQLBind(try CalendarCodec.json(view.periods)),
                    SQLBind(try CalendarCodec.json(view.holidays)), SQLBind(now), SQLBind(now))
            .run()
    }

    static func update(_ view: CalendarView, on sql: any SQLDatabase) async throws {
        try await sql.update("business_calendars").set("name", to: view.name).set("time_zone", to: view.timeZone)
            .set("periods", to: try CalendarCodec.json(view.periods)).set("holidays", to: try CalendarCodec.json(view.holidays))
            .set("updated_at", to: view.updatedAt).where("id", .equal, view.id).run()
    }

    /// Every calendar as the clock uses it, by id.
    static func calendars(on sql: any SQLDatabase) async throws -> [UUID: BusinessCalendar] {
        var calendars: [UUID: BusinessCalendar] = [:]
        for row in try await sql.select().columns("id", "time_zone", "periods", "holidays").from("business_calendars").all() {
            calendars[try row.decode(column: "id", as: UUID.self)] = try CalendarCodec.calendar(row: row)
        }
        return calendars
    }

    private static func view(_ row: any SQLRow) throws -> CalendarView {
        CalendarView(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                     timeZone: try row.decode(column: "time_zone", as: String.self),
                     periods: try JSONDecoder().decode([WorkingPeriod].self, from: Data(try row.decode(column: "periods", as: String.self).utf8)),
                     holidays: try JSONDecoder().decode([CalendarCodec.Holiday].self, from: Data(try row.decode(column: "holidays", as: String.self).utf8)),
                     updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
