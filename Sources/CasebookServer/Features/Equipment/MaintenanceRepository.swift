import CasebookCore
import Foundation
import SQLKit

/// Maintenance plans, the work orders they issue, and how far each plan has issued them for each asset.
enum MaintenanceRepository {
    private static func plan(_ row: any SQLRow) throws -> MaintenancePlanView {
        var interval: MaintenanceInterval?
        if let count = try row.decode(column: "interval_count", as: Int?.self),
           let unit = try row.decode(column: "interval_unit", as: String?.self).flatMap(MaintenanceInterval.Unit.init(rawValue:)) {
            interval = MaintenanceInterval(count: count, unit: unit)
        }
        return MaintenancePlanView(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            assetID: try row.decode(column: "asset_id", as: UUID?.self), assetType: try row.decode(column: "asset_type", as: String?.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID?.self), interval: interval,
            startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
            leadDays: try row.decode(column: "lead_days", as: Int?.self), calendarID: try row.decode(column: "calendar_id", as: UUID?.self),
            checklist: try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
            assigneeID: try row.decode(column: "assignee_id", as: UUID?.self), active: try row.decode(column: "active", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    private static func workOrder(_ row: any SQLRow, today: LocalDate, prefix: String) throws -> WorkOrderView {
        let due = LocalDate(parsing: try row.decode(column: "due_on", as: String.self)) ?? LocalDate(dayNumber: 0)
        let status = try row.decode(column: "status", as: String.self)
        let answers = try row.decode(column: "answers", as: String?.self).map { try JSONDecoder().decode([ChecklistAnswer].self, from: Data($0.utf8)) }
        let followUp = try row.decode(column: "follow_up_number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description }
        return WorkOrderView(
            id: try row.decode(column: "id", as: UUID.self), planID: try row.decode(column: "plan_id", as: UUID.self),
            assetID: try row.decode(column: "asset_id", as: UUID.self), assetName: try row.decode(column: "asset_name", as: String?.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID.self), dueOn: due, status: status,
            overdue: status == "open" && due < today, assigneeID: try row.decode(column: "assignee_id", as: UUID?.self),
            checklist: try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
            answers: answers, result: try row.decode(column: "result", as: String?.self).flatMap(InspectionResult.init(rawValue:)),
            completedBy: try row.decode(column: "completed_by", as: UUID?.self), completedAt: try row.decode(column: "completed_at", as: Date?.self),
            signature: try row.decode(column: "signature", as: String?.self), followUpCase: followUp,
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// Work orders with their asset's name and follow-up case number, for lists and single reads.
    private static let workOrderSelect = """
        SELECT w.*, a.name AS asset_name, c.number AS follow_up_number FROM work_orders w
        JOIN assets a ON a.id = w.asset_id LEFT JOIN cases c ON c.id = w.case_id
        """

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }

    static func activePlans(on sql: any SQLDatabase) async throws -> [MaintenancePlanView] {
        try await sql.select().columns("*").from("maintenance_plans").where("active", .equal, true).all().map(plan)
    }

    /// Every calendar as maintenance counts working days in it, by id.
    static func calendars(on sql: any SQLDatabase) async throws -> [UUID: MaintenanceDays] {
        try await CalendarRepository.calendars(on: sql).mapValues { MaintenanceDays(calendar: $0) }
    }

    /// The day through which a plan has issued work orders, per asset.
    static func progress(of planID: UUID, on sql: any SQLDatabase) async throws -> [UUID: LocalDate] {
        var progress: [UUID: LocalDate] = [:]
        for row in try await sql.select().columns("asset_id", "generated_through").from("maintenance_progress").where("plan_id", .equal, planID).all() {
            progress[try row.decode(column: "asset_id", as: UUID.self)] = LocalDate(parsing: try row.decode(column: "generated_through", as: String.self))
        }
        return progress
    }

    /// An asset a plan covers.
    struct PlanAsset: Sendable {
        let id: UUID
        let organisationID: UUID
        let criticality: AssetCriticality
    }

    /// The assets in service a plan covers: its one asset, or every asset of its type (of its organisation, if it names one).
    static func assets(of plan: MaintenancePlanView, on sql: any SQLDatabase) async throws -> [PlanAsset] {
        var select = sql.select().columns("id", "organisation_id", "criticality").from("assets").where("retired", .equal, false)
        if let asset = plan.assetID {
            select = select.where("id", .equal, asset)
        } else if let type = plan.assetType {
            select = select.where("asset_type", .equal, type)
            if let organisation = plan.organisationID { select = select.where("organisation_id", .equal, organisation) }
        } else {
            return []
        }
        return try await select.all().map { row in
            PlanAsset(id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                      criticality: AssetCriticality(rawValue: try row.decode(column: "criticality", as: String.self)) ?? .normal)
        }
    }

    /// Issues open work orders for these assets and dates (a date already issued is skipped) and moves each asset's progress on.
    static func issue(_ pending: [(asset: PlanAsset, dates: [LocalDate])], plan: MaintenancePlanView, at now: Date, on sql: any SQLDatabase) async throws -> Int {
        let checklist = try json(plan.checklist)
        var insert = sql.insert(into: "work_orders")
            .columns("id", "plan_id", "asset_id", "organisation_id", "due_on", "status", "assignee_id", "checklist", "created_at")
        var progress = sql.insert(into: "maintenance_progress").columns("plan_id", "asset_id", "generated_through")
        var count = 0
        for (asset, dates) in pending {
            for date in dates {
                insert = insert.values(SQLBind(RecordID.make()), SQLBind(plan.id), SQLBind(asset.id), SQLBind(asset.organisationID), SQLBind(date.description),
                                       SQLBind("open"), SQLBind(plan.assigneeID), SQLBind(checklist), SQLBind(now))
                count += 1
            }
            progress = progress.values(SQLBind(plan.id), SQLBind(asset.id), SQLBind(dates.max()!.description))
        }
        try await insert.ignoringConflicts(with: ["plan_id", "asset_id", "due_on"]).run()
        try await progress.onConflict(with: ["plan_id", "asset_id"]) { $0.set(excludedValueOf: "generated_through") }.run()
        return count
    }

    /// Open work orders past their day whose technician has not been told: id, due day, asset, location, technician's address.
    static func overdueUnnotified(today: LocalDate, limit: Int, on sql: any SQLDatabase) async throws
        -> [(id: UUID, dueOn: String, asset: String, location: String?, email: String?)] {
        try await sql.raw("""
            SELECT w.id, w.due_on, a.name AS asset_name, a.location, u.email FROM work_orders w
            JOIN assets a ON a.id = w.asset_id LEFT JOIN users u ON u.id = w.assignee_id
            WHERE w.status = 'open' AND w.due_on < \(bind: today.description) AND w.overdue_notified_at IS NULL
            ORDER BY w.due_on LIMIT \(bind: limit)
            """).all().map {
                (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "due_on", as: String.self), try $0.decode(column: "asset_name", as: String.self),
                 try $0.decode(column: "location", as: String?.self), try $0.decode(column: "email", as: String?.self))
            }
    }

    static func markOverdueNotified(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("work_orders").set("overdue_notified_at", to: now).where("id", .equal, id).run()
    }

    /// Plans by name, optionally only those for one asset.
    static func plans(assetID: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [MaintenancePlanView] {
        var select = sql.select().columns("*").from("maintenance_plans")
        if let assetID { select = select.where("asset_id", .equal, assetID) }
        return try await select.orderBy("name").limit(limit).all().map(plan)
    }

    static func findPlan(_ id: UUID, on sql: any SQLDatabase) async throws -> MaintenancePlanView? {
        try await sql.select().columns("*").from("maintenance_plans").where("id", .equal, id).first().map(plan)
    }

    static func insertPlan(_ plan: MaintenancePlanView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "maintenance_plans")
            .columns("id", "name", "asset_id", "asset_type", "organisation_id", "interval_count", "interval_unit", "starts_on", "lead_days",
                     "calendar_id", "checklist", "assignee_id", "active", "created_at", "updated_at")
            .values(SQLBind(plan.id), SQLBind(plan.name), SQLBind(plan.assetID), SQLBind(plan.assetType), SQLBind(plan.organisationID),
                    SQLBind(plan.interval?.count), SQLBind(plan.interval?.unit.rawValue), SQLBind(plan.startsOn.description),
                    SQLBind(plan.leadDays), SQLBind(plan.calendarID), SQLBind(try json(plan.checklist)),
                    SQLBind(plan.assigneeID), SQLBind(plan.active), SQLBind(now), SQLBind(now))
            .run()
    }

    static func updatePlan(_ plan: MaintenancePlanView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("maintenance_plans").set("name", to: plan.name).set("organisation_id", to: plan.organisationID)
            .set("interval_count", to: plan.interval?.count).set("interval_unit", to: plan.interval?.unit.rawValue)
            .set("starts_on", to: plan.startsOn.description).set("lead_days", to: plan.leadDays).set("calendar_id", to: plan.calendarID)
            .set("checklist", to: try json(plan.checklist)).set("assignee_id", to: plan.assigneeID)
            .set("active", to: plan.active).set("updated_at", to: now).where("id", .equal, plan.id).run()
    }

    /// Forgets how far a plan has issued work orders, so its visits are planned afresh from today.
    static func resetProgress(of planID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "maintenance_progress").where("plan_id", .equal, planID).run()
    }

    /// What the work-order list may be narrowed to.
    struct WorkOrderFilter: Sendable {
        var status: String?
        var assetID: UUID?
        var assigneeID: UUID?
        var organisationID: UUID?
        /// Open work orders due before this day.
        var overdueOn: LocalDate?
        var dueBefore: LocalDate?
        var limit = 100
    }

    static func workOrders(_ filter: WorkOrderFilter, today: LocalDate, prefix: String, on sql: any SQLDatabase) async throws -> [WorkOrderView] {
        var query = SQLQueryString(workOrderSelect) + " WHERE 1 = 1"
        if let status = filter.status { query = query + " AND w.status = \(bind: status)" }
        if let id = filter.assetID { query = query + " AND w.asset_id = \(bind: id)" }
        if let id = filter.assigneeID { query = query + " AND w.assignee_id = \(bind: id)" }
        if let id = filter.organisationID { query = query + " AND w.organisation_id = \(bind: id)" }
        if let day = filter.overdueOn { query = query + " AND w.status = 'open' AND w.due_on < \(bind: day.description)" }
        if let day = filter.dueBefore { query = query + " AND w.due_on <= \(bind: day.description)" }
        query = query + " ORDER BY w.due_on, a.name LIMIT \(bind: filter.limit)"
        return try await sql.raw(query).all().map { try workOrder($0, today: today, prefix: prefix) }
    }

    static func findWorkOrder(_ id: UUID, today: LocalDate, prefix: String, on sql: any SQLDatabase) async throws -> WorkOrderView? {
        try await sql.raw(SQLQueryString(workOrderSelect) + " WHERE w.id = \(bind: id)").first().map { try workOrder($0, today: today, prefix: prefix) }
    }

    /// A work order as the maintenance calendar feed shows it.
    struct FeedEntry: Sendable {
        let id: UUID
        let planID: UUID
        let assetID: UUID
        let dueOn: String
        let done: Bool
        let result: String?
        let assetName: String
        let location: String?
    }

    /// Work orders due since a day, optionally of one asset or organisation, by due day.
    static func feed(dueSince day: LocalDate, assetID: UUID?, organisationID: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [FeedEntry] {
        var query = SQLQueryString("""
            SELECT w.id, w.plan_id, w.asset_id, w.due_on, w.status, w.result, a.name AS asset_name, a.location FROM work_orders w
            JOIN assets a ON a.id = w.asset_id WHERE w.due_on >= \(bind: day.description)
            """)
        if let assetID { query = query + " AND w.asset_id = \(bind: assetID)" }
        if let organisationID { query = query + " AND w.organisation_id = \(bind: organisationID)" }
        return try await sql.raw(query + " ORDER BY w.due_on LIMIT \(bind: limit)").all().map { row in
            FeedEntry(id: try row.decode(column: "id", as: UUID.self), planID: try row.decode(column: "plan_id", as: UUID.self),
                      assetID: try row.decode(column: "asset_id", as: UUID.self), dueOn: try row.decode(column: "due_on", as: String.self),
                      done: try row.decode(column: "status", as: String.self) == "done", result: try row.decode(column: "result", as: String?.self),
                      assetName: try row.decode(column: "asset_name", as: String.self), location: try row.decode(column: "location", as: String?.self))
        }
    }

    /// The assets in service a plan covers, narrowed to one asset or organisation, with what the feed shows of them.
    static func feedAssets(of plan: MaintenancePlanView, asset: UUID?, organisation: UUID?, limit: Int,
                           on sql: any SQLDatabase) async throws -> [(id: UUID, name: String, location: String?, criticality: AssetCriticality)] {
        var select = sql.select().columns("id", "name", "location", "criticality", "organisation_id").from("assets").where("retired", .equal, false)
        if let id = plan.assetID { select = select.where("id", .equal, id) } else if let type = plan.assetType { select = select.where("asset_type", .equal, type) } else { return [] }
        if let organisation = plan.organisationID { select = select.where("organisation_id", .equal, organisation) }
        if let asset { select = select.where("id", .equal, asset) }
        if let organisation { select = select.where("organisation_id", .equal, organisation) }
        return try await select.limit(limit).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "location", as: String?.self),
             AssetCriticality(rawValue: try $0.decode(column: "criticality", as: String.self)) ?? .normal)
        }
    }
}
