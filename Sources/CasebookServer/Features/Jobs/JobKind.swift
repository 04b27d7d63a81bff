import Foundation

/// Every kind of background work Casebook does; the raw value is what the `jobs` table stores.
enum JobKind: String, Sendable, CaseIterable, Codable {
    /// Apply one stored inbound email (payload: `InboundPayload`).
    case processEmail = "email.process"
    /// Recompute every open case's service level (after a policy, calendar or contract change).
    case recomputeServiceLevels = "sla.recompute_all"
    /// Recompute the clocks whose next warning or breach time has come.
    case checkServiceLevels = "sla.check"
    /// Send one outbox message (payload: `OutboundPayload`).
    case sendEmail = "email.send"
    /// Evaluate time-based automation and escalation rules against open cases.
    case runTimeRules = "rules.time"
    /// Generate maintenance work orders ahead of time and warn about overdue ones (hourly).
    case planMaintenance = "maintenance.plan"
    /// Re-judge flapping alerts whose changes have aged out of the window.
    case settleAlerts = "alerts.settle"
    /// Transcribe one call recording (payload: `CallPayload`).
    case transcribeCall = "call.transcribe"
    /// Send satisfaction surveys for newly solved cases.
    case sendSurveys = "satisfaction.send"
    /// Look for product versions several organisations report trouble with.
    case detectWarnings = "warnings.detect"
    /// Bring the daily report rollups up to date.
    case rollUpReports = "reports.rollup"
    /// Mail the weekly report (payload: `WeeklyReport.WeekPayload`).
    case sendWeeklyReport = "reports.weekly"
    /// Post one event to one webhook or chat subscriber (payload: `WebhookJob`).
    case deliverWebhook = "webhook.deliver"
    /// Import the next slice of tickets from another help desk (payload: `ImportJob`).
    case runImport = "import.run"
    /// Bring people signed in through directories in step with them (nightly).
    case syncDirectories = "directory.sync"
    /// Anonymise or delete the solved cases the active retention rules have come due for (nightly).
    case applyRetention = "retention.apply"
    /// Remove stored files no row names any more, a day after they were last kept (nightly).
    case sweepFiles = "files.sweep"
}

/// The payload of a job about one inbound message.
struct InboundPayload: Codable, Sendable {
    let inboundID: UUID

    enum CodingKeys: String, CodingKey { case inboundID = "inbound_id" }
}
