import CasebookCore
import SQLKit
import Vapor

/// `/sla-policies`: formal (contract) and informal service-level policies.
struct SLAPolicyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let policies = routes.grouped("sla-policies")
        policies.get(use: list)
        policies.post(use: create)
        policies.get(":id", use: show)
        policies.patch(":id", use: update)
    }

    static let maxTargetMinutes = 366 * 24 * 60

    @Sendable func list(req: Request) async throws -> [SLAPolicyView] {
        try req.authorize(.readServiceLevels)
        return try await req.store.sql.select().columns("*").from("sla_policies").orderBy("rank").orderBy("name").all().map(Self.view)
    }

    @Sendable func show(req: Request) async throws -> SLAPolicyView {
        try req.authorize(.readServiceLevels)
        return try Self.view(try await Self.find(req, on: req.store.sql))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(SLAPolicyWrite.self)
        guard let name = input.name else { throw Problem.invalid("name", "is required") }
        guard let calendarID = input.calendarID else { throw Problem.invalid("calendar_id", "is required") }
        guard let targets = input.targets else { throw Problem.invalid("targets", "is required") }
        let view = SLAPolicyView(id: RecordID.make(), name: try Validate.name(name, field: "name"), kind: input.kind ?? .informal,
                                 conditions: input.conditions ?? SLAConditions(), targets: targets, calendarID: calendarID,
                                 warnAtPercent: input.warnAtPercent ?? 75, rank: input.rank ?? 100, active: input.active ?? true)
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await Self.check(view, on: sql)
            try await sql.insert(into: "sla_policies")
                .columns("id", "name", "kind", "conditions", "targets", "calendar_id", "warn_at_percent", "rank", "active", "created_at", "updated_at")
                .values(SQLBind(view.id), SQLBind(view.name), SQLBind(view.kind.rawValue), SQLBind(try CalendarCodec.json(view.conditions)),
                        SQLBind(try CalendarCodec.json(view.targets)), SQLBind(view.calendarID), SQLBind(view.warnAtPercent),
                        SQLBind(view.rank), SQLBind(view.active), SQLBind(now), SQLBind(now))
                .run()
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> SLAPolicyView {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(SLAPolicyWrite.self)
        let now = req.now
        let view = try await req.store.write { db -> SLAPolicyView in
            let sql = req.store.sql(db)
            var view = try Self.view(try await Self.find(req, on: sql))
            if let name = input.name { view.name = try Validate.name(name, field: "name") }
            if let kind = input.kind { view.kind = kind }
            if let conditions = input.conditions { view.conditions = conditions }
            if let targets = input.targets { view.targets = targets }
            if let calendarID = input.calendarID { view.calendarID = calendarID }
            if let warn = input.warnAtPercent { view.warnAtPercent = warn }
            if let rank = input.rank { view.rank = rank }
            if let active = input.active { view.active = active }
            try await Self.check(view, on: sql)
            try await sql.update("sla_policies").set("name", to: view.name).set("kind", to: view.kind.rawValue)
                .set("conditions", to: try CalendarCodec.json(view.conditions)).set("targets", to: try CalendarCodec.json(view.targets))
                .set("calendar_id", to: view.calendarID).set("warn_at_percent", to: view.warnAtPercent).set("rank", to: view.rank)
                .set("active", to: view.active).set("updated_at", to: now).where("id", .equal, view.id).run()
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return view
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return view
    }

    static func check(_ view: SLAPolicyView, on sql: any SQLDatabase) async throws {
        guard !view.targets.isEmpty else { throw Problem.invalid("targets", "must give targets for at least one priority") }
        for (key, targets) in view.targets {
            guard Priority(rawValue: key) != nil else {
                throw Problem.invalid("targets", "has '\(key)'; priorities are \(Priority.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for metric in SLAMetric.allCases {
                if let minutes = targets.minutes(for: metric), !(1...maxTargetMinutes).contains(minutes) {
                    throw Problem.invalid("targets.\(key).\(metric.rawValue)_minutes", "must be from 1 to \(maxTargetMinutes)")
                }
            }
        }
        guard (1...100).contains(view.warnAtPercent) else { throw Problem.invalid("warn_at_percent", "must be from 1 to 100") }
        guard (0...10_000).contains(view.rank) else { throw Problem.invalid("rank", "must be from 0 to 10000") }
        guard try await sql.select().column("id").from("business_calendars").where("id", .equal, view.calendarID).first() != nil else {
            throw Problem.invalid("calendar_id", "names no calendar")
        }
        if try await sql.select().column("id").from("sla_policies").where("name", .equal, view.name)
            .where("id", .notEqual, view.id).first() != nil {
            throw Problem.conflict("A policy named '\(view.name)' already exists.")
        }
    }

    static func find(_ req: Request, on sql: any SQLDatabase) async throws -> any SQLRow {
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await sql.select().columns("*").from("sla_policies").where("id", .equal, id).first()
        else { throw Problem.notFound("The SLA policy") }
        return row
    }

    static func view(_ row: any SQLRow) throws -> SLAPolicyView {
        SLAPolicyView(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                      kind: SLAKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .informal,
                      conditions: try JSONDecoder().decode(SLAConditions.self, from: Data(try row.decode(column: "conditions", as: String.self).utf8)),
                      targets: try JSONDecoder().decode([String: SLATargets].self, from: Data(try row.decode(column: "targets", as: String.self).utf8)),
                      calendarID: try row.decode(column: "calendar_id", as: UUID.self),
                      warnAtPercent: try row.decode(column: "warn_at_percent", as: Int.self), rank: try row.decode(column: "rank", as: Int.self),
                      active: try row.decode(column: "active", as: Bool.self))
    }
}
