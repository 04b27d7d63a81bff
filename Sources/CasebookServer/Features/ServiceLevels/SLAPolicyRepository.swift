import CasebookCore
import Foundation
import SQLKit

/// SLA policies: which cases they cover, their targets per priority, and the calendar they count in.
enum SLAPolicyRepository {
    static func list(on sql: any SQLDatabase) async throws -> [SLAPolicyView] {
        try await sql.select().columns("*").from("sla_policies").orderBy("rank").orderBy("name").all().map(view)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> SLAPolicyView? {
        try await sql.select().columns("*").from("sla_policies").where("id", .equal, id).first().map(view)
    }

    /// Whether another policy already has this name.
    static func nameTaken(_ name: String, byOtherThan id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("sla_policies").where("name", .equal, name).where("id", .notEqual, id).first() != nil
    }

    /// A policy's kind, when it exists.
    static func kind(of id: UUID, on sql: any SQLDatabase) async throws -> SLAKind? {
        try await sql.select().column("kind").from("sla_policies").where("id", .equal, id).first()
            .map { SLAKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .informal }
    }

    /// Every policy's id and name, by name (for choosing one).
    static func names(on sql: any SQLDatabase) async throws -> [(id: UUID, name: String)] {
        try await sql.select().columns("id", "name").from("sla_policies").orderBy("name").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func insert(_ view: SLAPolicyView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sla_policies")
            .columns("id", "name", "kind", "conditions", "targets", "calendar_id", "warn_at_percent", "rank", "active", "created_at", "updated_at")
            .values(SQLBind(view.id), SQLBind(view.name), SQLBind(view.kind.rawValue), SQLBind(try CalendarCodec.json(view.conditions)),
                    SQLBind(try CalendarCodec.json(view.targets)), SQLBind(view.calendarID), SQLBind(view.warnAtPercent),
                    SQLBind(view.rank), SQLBind(view.active), SQLBind(now), SQLBind(now))
            .run()
    }

    static func update(_ view: SLAPolicyView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("sla_policies").set("name", to: view.name).set("kind", to: view.kind.rawValue)
            .set("conditions", to: try CalendarCodec.json(view.conditions)).set("targets", to: try CalendarCodec.json(view.targets))
            .set("calendar_id", to: view.calendarID).set("warn_at_percent", to: view.warnAtPercent).set("rank", to: view.rank)
            .set("active", to: view.active).set("updated_at", to: now).where("id", .equal, view.id).run()
    }

    /// The active policies with their calendars, as core values; a policy whose calendar is gone is left out.
    static func active(calendars: [UUID: BusinessCalendar], on sql: any SQLDatabase) async throws -> [SLAPolicy] {
        try await sql.select().columns("id", "name", "kind", "conditions", "targets", "calendar_id", "warn_at_percent", "rank")
            .from("sla_policies").where("active", .equal, true).all().compactMap { row -> SLAPolicy? in
                guard let calendar = calendars[try row.decode(column: "calendar_id", as: UUID.self)] else { return nil }
                return SLAPolicy(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                 kind: SLAKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .informal,
                                 conditions: try JSONDecoder().decode(SLAConditions.self, from: Data(try row.decode(column: "conditions", as: String.self).utf8)),
                                 targets: try CalendarCodec.targets(try row.decode(column: "targets", as: String.self)),
                                 calendar: calendar, warnAtPercent: try row.decode(column: "warn_at_percent", as: Int.self),
                                 rank: try row.decode(column: "rank", as: Int.self))
            }
    }

    private static func view(_ row: any SQLRow) throws -> SLAPolicyView {
        SLAPolicyView(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                      kind: SLAKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .informal,
                      conditions: try JSONDecoder().decode(SLAConditions.self, from: Data(try row.decode(column: "conditions", as: String.self).utf8)),
                      targets: try JSONDecoder().decode([String: SLATargets].self, from: Data(try row.decode(column: "targets", as: String.self).utf8)),
                      calendarID: try row.decode(column: "calendar_id", as: UUID.self),
                      warnAtPercent: try row.decode(column: "warn_at_percent", as: Int.self), rank: try row.decode(column: "rank", as: Int.self),
                      active: try row.decode(column: "active", as: Bool.self))
    }
}
