import CasebookCore
import Foundation
import SQLKit

/// Generates work orders ahead of their due dates and warns technicians about overdue ones.
///
/// Each (plan, asset) remembers the last due date it generated, so a run is idempotent and a
/// server that was down catches up with the visits it missed. Inserts go in batches, and the
/// unique (plan, asset, due date) index makes a repeated batch harmless.
struct MaintenancePlanner {
    let services: CasebookServices

    static let batchSize = 400

    /// The job key for the planning run of `now`'s hour.
    static func hourKey(_ now: Date) -> String {
        "maintenance.plan:" + String(Timestamp.format(now).prefix(13))
    }

    /// Generates what is due within each plan's lead time; returns how many work orders were created.
    func generate(today: LocalDate) async throws -> Int {
        let sql = services.store.sql
        let plans = try await sql.select().columns("*").from("maintenance_plans").where("active", .equal, true).all().map(MaintenanceRows.plan)
        var calendars: [UUID: MaintenanceDays] = [:]
        for row in try await sql.select().columns("id", "time_zone", "periods", "holidays").from("business_calendars").all() {
            calendars[try row.decode(column: "id", as: UUID.self)] = MaintenanceDays(calendar: try CalendarCodec.calendar(row: row))
        }
        var created = 0
        for plan in plans {
            let days = plan.calendarID.flatMap { calendars[$0] } ?? .everyDay
            let checklist = try MaintenanceRows.json(plan.checklist)
            let assets = try await assets(of: plan, on: sql)
            var progress: [UUID: LocalDate] = [:]
            for row in try await sql.select().columns("asset_id", "generated_through").from("maintenance_progress").where("plan_id", .equal, plan.id).all() {
                progress[try row.decode(column: "asset_id", as: UUID.self)] = LocalDate(parsing: try row.decode(column: "generated_through", as: String.self))
            }
            var pending: [(asset: Asset, dates: [LocalDate])] = []
            for asset in assets {
                let schedule = MaintenanceSchedule.forAsset(criticality: asset.criticality, override: plan.interval, anchor: plan.startsOn,
                                                            days: days, leadDays: plan.leadDays)
                let dates = schedule.workOrdersToGenerate(today: today, generatedThrough: progress[asset.id])
                if !dates.isEmpty { pending.append((asset, dates)) }
                if pending.reduce(0, { $0 + $1.dates.count }) >= Self.batchSize {
                    created += try await write(pending, plan: plan, checklist: checklist)
                    pending = []
                }
            }
            if !pending.isEmpty { created += try await write(pending, plan: plan, checklist: checklist) }
        }
        return created
    }

    struct Asset: Sendable {
        let id: UUID
        let organisationID: UUID
        let criticality: AssetCriticality
    }

    private func assets(of plan: MaintenancePlanView, on sql: any SQLDatabase) async throws -> [Asset] {
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
            Asset(id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                  criticality: AssetCriticality(rawValue: try row.decode(column: "criticality", as: String.self)) ?? .normal)
        }
    }

    private func write(_ pending: [(asset: Asset, dates: [LocalDate])], plan: MaintenancePlanView, checklist: String) async throws -> Int {
        let now = services.clock()
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
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
    }

    /// Emails each overdue work order's technician once; returns how many were notified.
    func notifyOverdue(today: LocalDate) async throws -> Int {
        let now = services.clock()
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            let rows = try await sql.raw("""
                SELECT w.id, w.due_on, a.name AS asset_name, a.location, u.email FROM work_orders w
                JOIN assets a ON a.id = w.asset_id LEFT JOIN users u ON u.id = w.assignee_id
                WHERE w.status = 'open' AND w.due_on < \(bind: today.description) AND w.overdue_notified_at IS NULL
                ORDER BY w.due_on LIMIT 500
                """).all()
            var notified = 0
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                if let email = try row.decode(column: "email", as: String?.self) {
                    let asset = try row.decode(column: "asset_name", as: String.self)
                    let due = try row.decode(column: "due_on", as: String.self)
                    let location = try row.decode(column: "location", as: String?.self).map { " (\($0))" } ?? ""
                    try await StaffNotice(services: services).send(
                        to: email, subject: "Overdue maintenance: \(asset)",
                        text: "The maintenance visit to \(asset)\(location) was due on \(due) and is not done yet.\n\nWork order: \(id.uuidString)",
                        on: sql, now: now)
                    notified += 1
                }
                try await sql.update("work_orders").set("overdue_notified_at", to: now).where("id", .equal, id).run()
            }
            return notified
        }
    }
}
