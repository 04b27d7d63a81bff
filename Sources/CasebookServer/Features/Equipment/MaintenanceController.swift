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
        var assetID: UUID?
        if let asset = req.query[String.self, at: "asset_id"] {
            guard let id = UUID(uuidString: asset) else { throw Problem.badRequest("Query parameter 'asset_id' must be a UUID.") }
            assetID = id
        }
        return try await MaintenanceRepository.plans(assetID: assetID, limit: 1_000, on: req.store.sql)
    }

    @Sendable func showPlan(req: Request) async throws -> MaintenancePlanView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self),
              let plan = try await MaintenanceRepository.findPlan(id, on: req.store.sql) else {
            throw Problem.notFound("The maintenance plan")
        }
        return plan
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
            try await MaintenanceRepository.insertPlan(plan, at: now, on: sql)
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
                  var plan = try await MaintenanceRepository.findPlan(id, on: sql)
            else { throw Problem.notFound("The maintenance plan") }
            if input.assetID != nil || input.assetType != nil { throw Problem.invalid("asset_id", "cannot change; add a new plan") }
            try await Self.apply(input, to: &plan, isNew: false, on: sql)
            plan.updatedAt = now
            try await MaintenanceRepository.updatePlan(plan, at: now, on: sql)
            if input.startsOn != nil || input.interval.asDoubleOptional != nil {
                // A new rhythm: visits are planned afresh from today; open work orders already issued stay.
                try await MaintenanceRepository.resetProgress(of: plan.id, on: sql)
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
            if let organisation, try await !RelatedRecordRepository.exists(OrganisationModel.schema, organisation, on: sql) {
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
            if let calendar, try await !CalendarRepository.exists(calendar, on: sql) {
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
                guard let standing = try await RelatedRecordRepository.standing(of: assignee, on: sql), standing.active,
                      Role(rawValue: standing.role)?.isStaff == true
                else { throw Problem.invalid("assignee_id", "must name an active member of staff") }
            }
            plan.assigneeID = assignee
        }
        if let active = input.active { plan.active = active }
    }

    @Sendable func listWorkOrders(req: Request) async throws -> [WorkOrderView] {
        try req.authorize(.readEquipment)
        var filter = MaintenanceRepository.WorkOrderFilter()
        if let status = req.query[String.self, at: "status"] {
            guard ["open", "done"].contains(status) else { throw Problem.badRequest("Query parameter 'status' must be open or done.") }
            filter.status = status
        }
        func id(_ name: String) throws -> UUID? {
            guard let text = req.query[String.self, at: name] else { return nil }
            guard let id = UUID(uuidString: text) else { throw Problem.badRequest("Query parameter '\(name)' must be a UUID.") }
            return id
        }
        filter.assetID = try id("asset_id")
        filter.assigneeID = try id("assignee_id")
        filter.organisationID = try id("organisation_id")
        if req.query[Bool.self, at: "overdue"] == true { filter.overdueOn = today(req) }
        if let before = req.query[String.self, at: "due_before"] {
            guard let day = LocalDate(parsing: before) else { throw Problem.badRequest("Query parameter 'due_before' must be a date.") }
            filter.dueBefore = day
        }
        filter.limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1_000)
        return try await MaintenanceRepository.workOrders(filter, today: today(req), prefix: req.casebook.configuration.referencePrefix, on: req.store.sql)
    }

    @Sendable func showWorkOrder(req: Request) async throws -> WorkOrderView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The work order") }
        return try await Self.workOrder(id, req: req)
    }

    static func workOrder(_ id: UUID, req: Request) async throws -> WorkOrderView {
        guard let order = try await MaintenanceRepository.findWorkOrder(id, today: BusinessCalendar.allHours().localDay(of: req.now),
                                                                        prefix: req.casebook.configuration.referencePrefix, on: req.store.sql) else {
            throw Problem.notFound("The work order")
        }
        return order
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
        var visits: [MaintenanceCalendarFeed.Visit] = []
        var issued = Set<String>()
        for entry in try await MaintenanceRepository.feed(dueSince: day.adding(days: -30), assetID: assetFilter, organisationID: orgFilter, limit: 5000, on: sql) {
            let due = LocalDate(parsing: entry.dueOn) ?? day
            issued.insert("\(entry.planID)/\(entry.assetID)/\(due)")
            let result = entry.result.map { " (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
            visits.append(.init(uid: "\(entry.id)@casebook", day: due, summary: (entry.done ? "Done: " : "Maintenance: ") + entry.assetName + result,
                                location: entry.location, status: entry.done ? .done : .scheduled))
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
        let plans = try await MaintenanceRepository.activePlans(on: sql)
        let calendars = try await MaintenanceRepository.calendars(on: sql)
        var visits: [MaintenanceCalendarFeed.Visit] = []
        for plan in plans {
            let days = plan.calendarID.flatMap { calendars[$0] } ?? .everyDay
            for (assetID, name, location, criticality) in try await MaintenanceRepository.feedAssets(of: plan, asset: asset, organisation: organisation,
                                                                                                     limit: limit, on: sql) {
                let schedule = MaintenanceSchedule.forAsset(criticality: criticality, override: plan.interval, anchor: plan.startsOn, days: days, leadDays: plan.leadDays)
                for due in schedule.dueDates(in: start...end, limit: 200) where !issued.contains("\(plan.id)/\(assetID)/\(due)") {
                    visits.append(.init(uid: "\(plan.id)-\(assetID)-\(due)@casebook", day: due,
                                        summary: "Planned: " + name, location: location, status: .planned))
                    if visits.count >= limit { return visits }
                }
            }
        }
        return visits
    }
}
