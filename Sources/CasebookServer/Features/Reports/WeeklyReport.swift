import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// The dashboard's figures mailed every Monday at 07:00 UTC to the people chosen for it. The job is queued once per
/// week (its key names the week) and the week is marked sent in the same transaction as the mail, so a retried or
/// doubled job sends it once.
struct WeeklyReport {
    let services: CasebookServices

    static let kindPrefix = "reports.weekly:"

    /// "2026-W49": the ISO week of `date`.
    static func week(of date: Date) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    /// Monday 07:00 UTC of the week `date` falls in.
    static func sendingTime(inWeekOf date: Date) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let monday = calendar.date(from: calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)) ?? date
        return monday.addingTimeInterval(7 * 3_600)
    }

    /// Queues this week's report (once across instances and ticks).
    static func schedule(at now: Date, on sql: any SQLDatabase) async throws {
        _ = try await JobQueue.enqueue(.sendWeeklyReport, WeekPayload(week: week(of: now)), dedupeKey: kindPrefix + week(of: now),
                                       runAt: sendingTime(inWeekOf: now), on: sql)
    }

    struct WeekPayload: Codable, Sendable {
        var week: String
    }

    /// Sends the report for `week` unless it went already; `force` sends again (the page's "send now").
    @discardableResult
    func send(week: String, force: Bool = false) async throws -> Int {
        let services = self.services
        let now = services.clock()
        let dashboard = try await Dashboard.load(now: now, on: services.store.sql)
        let text = Self.text(dashboard, week: week, baseURL: services.configuration.equipment.publicURL)
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            let marker = "weekly_report_sent:" + week
            if !force, try await ReportRecipientRepository.state(marker, on: sql) != nil { return 0 }
            let recipients = try await ReportRecipientRepository.all(on: sql).map(\.email)
            for address in recipients {
                try await StaffNotice(services: services).send(to: address, subject: "Casebook weekly report, \(week)", text: text, on: sql, now: now)
            }
            try await ReportRecipientRepository.setState(marker, to: Timestamp.format(now), on: sql)
            return recipients.count
        }
    }

    static func text(_ dashboard: Dashboard, week: String, baseURL: String) -> String {
        func hours(_ value: Double?) -> String { value.map { String(format: "%.1f h", $0) } ?? "not measured yet" }
        let queue = dashboard.queue
        let open: Int = queue.byStatus.values.reduce(0, +)
        let statuses: String = queue.byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }
            .joined(separator: ", ")
        let responsiveness = dashboard.responsiveness
        let attainment: String = responsiveness.slaAttainmentPercent.map { String(format: "%.1f %%", $0) } ?? "not measured yet"
        let satisfaction: String = dashboard.satisfaction.average.map { String(format: "%.2f / 5", $0) } ?? "no answers"
        var lines: [String] = ["Casebook weekly report, \(week).", ""]
        lines.append("Queue now: \(open) open (\(statuses)), \(queue.unassigned) unassigned, \(queue.breachingSoon) breaching soon, \(queue.breached) breached.")
        lines.append("")
        lines.append("Last 30 days (medians): first response \(hours(responsiveness.firstResponseHours)), time between updates "
                     + "\(hours(responsiveness.timeBetweenUpdatesHours)), resolution \(hours(responsiveness.resolutionHours)); SLA attainment \(attainment).")
        lines.append("Satisfaction: \(satisfaction) from \(dashboard.satisfaction.responses) answers.")
        lines.append("Angry or frustrated customers: \(dashboard.tone.flaggedLast7Days) this week, \(dashboard.tone.flaggedPrevious7Days) the week before.")
        lines.append("Outages avoided (90 days): \(dashboard.outagesAvoided).")
        if !dashboard.topProblems.isEmpty {
            lines += ["", "Problems behind most cases:"] + dashboard.topProblems.map { "- \($0.title): \($0.cases) cases" }
        }
        if !dashboard.mostAffected.isEmpty {
            lines += ["", "Most affected customers:"] + dashboard.mostAffected.map { "- \($0.name): \($0.openCases) open cases" }
        }
        lines += ["", "The dashboard, with every figure linked to its cases: \(baseURL)/reports/dashboard"]
        return lines.joined(separator: "\n")
    }
}
