import CasebookCore
import SQLKit
import Vapor

/// `/maintenance`: plans, generated work orders, completing a visit, and the schedule as an iCalendar feed.
struct MaintenanceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let maintenance = routes.grouped("maintenance")
        maintenance.get("plans", use: listPlans)
        maintenance.post("plans", use: createPlan)
        maintenance.get("plans", ":id", use: showPlan)
        maintenance.patch("plans", ":id", use: updatePlan)
        maintenance.get("work-orders", use: listWorkOrders)
        maintenance.get("work-orders", ":id", use: showWorkOrder)
        maintenance.post("work-orders", ":id", "complete", use: complete)
        maintenance.post("run", use: run)
        maintenance.get("calendar.ics", use: calendar)
    }

    private func today(_ req: Request) -> LocalDate { BusinessCalendar.allHours().localDay(of: req.now) }

    @Sendable func listPlans(req: Request) async throws -> [MaintenancePlanView] {
        try req.authorize(.readEquipment)
        var select = req.store.sql.select().columns("*").from("maintenance_plans")
        if let asset = req.query[String.self, at: "asset_id"] {
            guard let id = UUID(uuidString: asset) else { throw Problem.badRequest("Query parameter 'asset_id' must be a UUID.") }
            select = select.where("asset_id", .equal, id)
        }
        return try await select.orderBy("name").limit(1_000).all().map(MaintenanceRows.plan)
    }

    @Sendable func showPlan(req: Request) async throws -> MaintenancePlanView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await req.store.sql.select().columns("*").from("maintenance_plans").where("id", .equal, id).first() else {
            throw Problem.notFound("The maintenance plan")
        }
        return try MaintenanceRows.plan(row)
    }

    @Sendable func createPlan(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(MaintenancePlanWrite.self)
        let now = req.now
        let blank = MaintenancePlanView(id: RecordID.make(), name: "", startsOn: today(req), checklist: [], active: true, createdAt: now, updatedAt: now)
        guard input.name != nil else { throw Problem.invalid("name", "is required") }
        guard input.checklist != nil else { throw Problem.invalid("checklist", "is required") }
        guard (input.assetID == nil) != (input.assetType == nil) else { throw Problem.invalid("asset_id", "or asset_type is required (one, not both)") }
        let view = try await req.store.write { db -> MaintenancePlanView in
            let sql = req.store.sql(db)
            var plan = blank
            try await Self.apply(input, to: &plan, isNew: true, on: sql)
            try await sql.insert(into: "maintenance_plans")
                .columns("id", "name", "asset_id", "asset_type", "organisation_id", "interval_count", "interval_unit", "starts_on", "lead_days",
                         "calendar_id", "checklist", "assignee_id", "active", "created_at", "updated_at")
                .values(SQLBind(plan.id), SQLBind(plan.name), SQLBind(plan.assetID), SQLBind(plan.assetType), SQLBind(plan.organisationID),
                        SQLBind(plan.interval?.count), SQLBind(plan.interval?.unit.rawValue), SQLBind(plan.startsOn.description),
                        SQLBind(plan.leadDays), SQLBind(plan.calendarID), SQLBind(try MaintenanceRows.json(plan.checklist)),
                        SQLBind(plan.assigneeID), SQLBind(plan.active), SQLBind(now), SQLBind(now))
                .run()
            return plan
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func updatePlan(req: Request) async throws -> MaintenancePlanView {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(MaintenancePlanWrite.self)
        let now = req.now
        return try await req.store.write { db -> MaintenancePlanView in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self),
                  let row = try await sql.select().columns("*").from("maintenance_plans").where("id", .equal, id).first()
            else { throw Problem.notFound("The maintenance plan") }
            var plan = try MaintenanceRows.plan(row)
            if input.assetID != nil || input.assetType != nil { throw Problem.invalid("asset_id", "cannot change; add a new plan") }
            try await Self.apply(input, to: &plan, isNew: false, on: sql)
            plan.updatedAt = now
            try await sql.update("maintenance_plans").set("name", to: plan.name).set("organisation_id", to: plan.organisationID)
                .set("interval_count", to: plan.interval?.count).set("interval_unit", to: plan.interval?.unit.rawValue)
                .set("starts_on", to: plan.startsOn.description).set("lead_days", to: plan.leadDays).set("calendar_id", to: plan.calendarID)
                .set("checklist", to: try MaintenanceRows.json(plan.checklist)).set("assignee_id", to: plan.assigneeID)
                .set("active", to: plan.active).set("updated_at", to: now).where("id", .equal, plan.id).run()
            if input.startsOn != nil || input.interval.asDoubleOptional != nil {
                // A new rhythm: visits are planned afresh from today; open work orders already issued stay.
                try await sql.delete(from: "maintenance_progress").where("plan_id", .equal, plan.id).run()
            }
            return plan
        }
    }

    static func apply(_ input: MaintenancePlanWrite, to plan: inout MaintenancePlanView, isNew: Bool, on sql: any SQLDatabase) async throws {
        if let name = input.name { plan.name = try Validate.name(name, field: "name") }
        if let asset = input.assetID {
            guard try await AssetRepository.find(asset, on: sql) != nil else { throw Problem.invalid("asset_id", "names no asset") }
            plan.assetID = asset
        }
        if let type = input.assetType { plan.assetType = try Validate.name(type, field: "asset_type", max: 80).lowercased() }
        if let organisation = input.organisationID.asDoubleOptional {
            if let organisation, try await sql.select().column("id").from(OrganisationModel.schema).where("id", .equal, organisation).first() == nil {
                throw Problem.invalid("organisation_id", "names no organisation")
            }
            plan.organisationID = organisation
        }
        if let interval = input.interval.asDoubleOptional { plan.interval = try interval?.validated() }
        if let starts = input.startsOn { plan.startsOn = starts }
        if let lead = input.leadDays.asDoubleOptional {
            if let lead, !(0...90).contains(lead) { throw Problem.invalid("lead_days", "must be 0 to 90") }
            plan.leadDays = lead
        }
        if let calendar = input.calendarID.asDoubleOptional {
            if let calendar, try await sql.select().column("id").from("business_calendars").where("id", .equal, calendar).first() == nil {
                throw Problem.invalid("calendar_id", "names no calendar")
            }
            plan.calendarID = calendar
        }
        if let checklist = input.checklist {
            try Checklist.validate(checklist)
            plan.checklist = checklist
        }
        if let assignee = input.assigneeID.asDoubleOptional {
            if let assignee {
                guard let row = try await sql.select().columns("role", "active").from(UserModel.schema).where("id", .equal, assignee).first(),
                      try row.decode(column: "active", as: Bool.self), try Role(rawValue: row.decode(column: "role", as: String.self))?.isStaff == true
                else { throw Problem.invalid("assignee_id", "must name an active member of staff") }
            }
            plan.assigneeID = assignee
        }
        if let active = input.active { plan.active = active }
    }

    @Sendable func listWorkOrders(req: Request) async throws -> [WorkOrderView] {
        try req.authorize(.readEquipment)
        var query = SQLQueryString(MaintenanceRows.workOrderSelect) + " WHERE 1 = 1"
        if let status = req.query[String.self, at: "status"] {
            guard ["open", "done"].contains(status) else { throw Problem.badRequest("Query parameter 'status' must be open or done.") }
            query = query + " AND w.status = \(bind: status)"
        }
        for (name, column) in [("asset_id", "asset_id"), ("assignee_id", "assignee_id"), ("organisation_id", "organisation_id")] {
            if let text = req.query[String.self, at: name] {
                guard let id = UUID(uuidString: text) else { throw Problem.badRequest("Query parameter '\(name)' must be a UUID.") }
                query = query + " AND w.\(ident: column) = \(bind: id)"
            }
        }
        if req.query[Bool.self, at: "overdue"] == true {
            query = query + " AND w.status = 'open' AND w.due_on < \(bind: today(req).description)"
        }
        if let before = req.query[String.self, at: "due_before"] {
            guard let day = LocalDate(parsing: before) else { throw Problem.badRequest("Query parameter 'due_before' must be a date.") }
            query = query + " AND w.due_on <= \(bind: day.description)"
        }
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1_000)
        query = query + " ORDER BY w.due_on, a.name LIMIT \(unsafeRaw: String(limit))"
        let day = today(req)
        let prefix = req.casebook.configuration.referencePrefix
        return try await req.store.sql.raw(query).all().map { try MaintenanceRows.workOrder($0, today: day, prefix: prefix) }
    }

    @Sendable func showWorkOrder(req: Request) async throws -> WorkOrderView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The work order") }
        return try await Self.workOrder(id, req: req)
    }

    static func workOrder(_ id: UUID, req: Request) async throws -> WorkOrderView {
        guard let row = try await req.store.sql.raw(SQLQueryString(MaintenanceRows.workOrderSelect) + " WHERE w.id = \(bind: id)").first() else {
            throw Problem.notFound("The work order")
        }
        return try MaintenanceRows.workOrder(row, today: BusinessCalendar.allHours().localDay(of: req.now), prefix: req.casebook.configuration.referencePrefix)
    }

    @Sendable func complete(req: Request) async throws -> WorkOrderView {
        try req.authorize(.manageEquipment)
        let current = try req.current
        let input = try req.content.decode(WorkOrderCompletion.self)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The work order") }
        let services = req.casebook
        _ = try await req.store.write { db in try await CompleteWorkOrder(services: services).run(id, input, by: current, on: db) }
        req.application.jobs.nudge()
        return try await Self.workOrder(id, req: req)
    }

    /// Runs the planner now (it also runs every few minutes in the background).
    @Sendable func run(req: Request) async throws -> MaintenanceRunView {
        try req.authorize(.manageEquipment)
        let planner = MaintenancePlanner(services: req.casebook)
        let day = today(req)
        let generated = try await planner.generate(today: day)
        let notified = try await planner.notifyOverdue(today: day)
        if notified > 0 { req.application.jobs.nudge() }
        return MaintenanceRunView(generated: generated, overdueNotified: notified)
    }

    /// The maintenance schedule as iCalendar: issued and done work orders from 30 days back, and visits planned for the next 90 days.
    @Sendable func calendar(req: Request) async throws -> Response {
        try req.authorize(.readEquipment)
        let sql = req.store.sql
        let day = today(req)
        var assetFilter: UUID?
        if let text = req.query[String.self, at: "asset_id"] {
            guard let id = UUID(uuidString: text) else { throw Problem.badRequest("Query parameter 'asset_id' must be a UUID.") }
            assetFilter = id
        }
        var orgFilter: UUID?
        if let text = req.query[String.self, at: "organisation_id"] {
            guard let id = UUID(uuidString: text) else { throw Problem.badRequest("Query parameter 'organisation_id' must be a UUID.") }
            orgFilter = id
        }
        var query = SQLQueryString("""
            SELECT w.id, w.plan_id, w.asset_id, w.due_on, w.status, w.result, a.name AS asset_name, a.location FROM work_orders w
            JOIN assets a ON a.id = w.asset_id WHERE w.due_on >= \(bind: day.adding(days: -30).description)
            """)
        if let assetFilter { query = query + " AND w.asset_id = \(bind: assetFilter)" }
        if let orgFilter { query = query + " AND w.organisation_id = \(bind: orgFilter)" }
        query = query + " ORDER BY w.due_on LIMIT 5000"
        var visits: [MaintenanceCalendarFeed.Visit] = []
        var issued = Set<String>()
        for row in try await sql.raw(query).all() {
            let asset = try row.decode(column: "asset_name", as: String.self)
            let due = LocalDate(parsing: try row.decode(column: "due_on", as: String.self)) ?? day
            let done = try row.decode(column: "status", as: String.self) == "done"
            issued.insert("\(try row.decode(column: "plan_id", as: UUID.self))/\(try row.decode(column: "asset_id", as: UUID.self))/\(due)")
            let result = try row.decode(column: "result", as: String?.self).map { " (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
            visits.append(.init(uid: "\(try row.decode(column: "id", as: UUID.self))@casebook", day: due,
                                summary: (done ? "Done: " : "Maintenance: ") + asset + result,
                                location: try row.decode(column: "location", as: String?.self), status: done ? .done : .scheduled))
        }
        visits += try await plannedVisits(from: day.adding(days: 1), to: day.adding(days: 90), asset: assetFilter, organisation: orgFilter,
                                          skipping: issued, limit: max(0, 5000 - visits.count), on: sql)
        let text = MaintenanceCalendarFeed.write(visits.sorted { $0.day < $1.day }, name: "Casebook maintenance", stamp: req.now)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"maintenance.ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    private func plannedVisits(from start: LocalDate, to end: LocalDate, asset: UUID?, organisation: UUID?, skipping issued: Set<String>,
                               limit: Int, on sql: any SQLDatabase) async throws -> [MaintenanceCalendarFeed.Visit] {
        guard limit > 0 else { return [] }
        let plans = try await sql.select().columns("*").from("maintenance_plans").where("active", .equal, true).all().map(MaintenanceRows.plan)
        var visits: [MaintenanceCalendarFeed.Visit] = []
        for plan in plans {
            var select = sql.select().columns("id", "name", "location", "criticality", "organisation_id").from("assets").where("retired", .equal, false)
            if let id = plan.assetID { select = select.where("id", .equal, id) } else if let type = plan.assetType { select = select.where("asset_type", .equal, type) } else { continue }
            if let organisation = plan.organisationID { select = select.where("organisation_id", .equal, organisation) }
            if let asset { select = select.where("id", .equal, asset) }
            if let organisation { select = select.where("organisation_id", .equal, organisation) }
            var days = MaintenanceDays.everyDay
            if let calendarID = plan.calendarID, let row = try await sql.select().columns("*").from("business_calendars").where("id", .equal, calendarID).first() {
                days = MaintenanceDays(calendar: try CalendarCodec.calendar(row: row))
            }
            for row in try await select.limit(limit).all() {
                let assetID = try row.decode(column: "id", as: UUID.self)
                let criticality = AssetCriticality(rawValue: try row.decode(column: "criticality", as: String.self)) ?? .normal
                let schedule = MaintenanceSchedule.forAsset(criticality: criticality, override: plan.interval, anchor: plan.startsOn, days: days, leadDays: plan.leadDays)
                for due in schedule.dueDates(in: start...end, limit: 200) where !issued.contains("\(plan.id)/\(assetID)/\(due)") {
                    visits.append(.init(uid: "\(plan.id)-\(assetID)-\(due)@casebook", day: due,
                                        summary: "Planned: " + (try row.decode(column: "name", as: String.self)),
                                        location: try row.decode(column: "location", as: String?.self), status: .planned))
                    if visits.count >= limit { return visits }
                }
            }
        }
        return visits
    }
}
