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
        let plans = try await MaintenanceRepository.activePlans(on: sql)
        let calendars = try await MaintenanceRepository.calendars(on: sql)
        var created = 0
        for plan in plans {
            let days = plan.calendarID.flatMap { calendars[$0] } ?? .everyDay
            let assets = try await MaintenanceRepository.assets(of: plan, on: sql)
            let progress = try await MaintenanceRepository.progress(of: plan.id, on: sql)
            var pending: [(asset: MaintenanceRepository.PlanAsset, dates: [LocalDate])] = []
            for asset in assets {
                let schedule = MaintenanceSchedule.forAsset(criticality: asset.criticality, override: plan.interval, anchor: plan.startsOn,
                                                            days: days, leadDays: plan.leadDays)
                let dates = schedule.workOrdersToGenerate(today: today, generatedThrough: progress[asset.id])
                if !dates.isEmpty { pending.append((asset, dates)) }
                if pending.reduce(0, { $0 + $1.dates.count }) >= Self.batchSize {
                    created += try await write(pending, plan: plan)
                    pending = []
                }
            }
            if !pending.isEmpty { created += try await write(pending, plan: plan) }
        }
        return created
    }

    private func write(_ pending: [(asset: MaintenanceRepository.PlanAsset, dates: [LocalDate])], plan: MaintenancePlanView) async throws -> Int {
        let now = services.clock()
        return try await services.store.write { db -> Int in
            try await MaintenanceRepository.issue(pending, plan: plan, at: now, on: services.store.sql(db))
        }
    }

    /// Emails each overdue work order's technician once; returns how many were notified.
    func notifyOverdue(today: LocalDate) async throws -> Int {
        let now = services.clock()
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            var notified = 0
            for (id, due, asset, place, address) in try await MaintenanceRepository.overdueUnnotified(today: today, limit: 500, on: sql) {
                if let email = address {
                    let location = place.map { " (\($0))" } ?? ""
                    try await StaffNotice(services: services).send(
                        to: email, subject: "Overdue maintenance: \(asset)",
                        text: "The maintenance visit to \(asset)\(location) was due on \(due) and is not done yet.\n\nWork order: \(id.uuidString)",
                        on: sql, now: now)
                    notified += 1
                }
                try await MaintenanceRepository.markOverdueNotified(id, at: now, on: sql)
            }
            return notified
        }
    }
}
