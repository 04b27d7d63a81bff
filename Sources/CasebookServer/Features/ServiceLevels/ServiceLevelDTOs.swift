import CasebookCore
import Foundation
import Vapor

/// Body of `POST /calendars` and `PATCH /calendars/{id}`.
struct CalendarWrite: Decodable, Sendable {
    var name: String?
    var timeZone: String?
    var periods: [WorkingPeriod]?
    var holidays: [CalendarCodec.Holiday]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, periods, holidays
        case timeZone = "time_zone"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        periods = try c.decodeIfPresent([WorkingPeriod].self, forKey: .periods)
        holidays = try c.decodeIfPresent([CalendarCodec.Holiday].self, forKey: .holidays)
    }
}

/// A business calendar as the API shows it.
struct CalendarView: Content {
    var id: UUID
    var name: String
    var timeZone: String
    var periods: [WorkingPeriod]
    var holidays: [CalendarCodec.Holiday]
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, periods, holidays
        case timeZone = "time_zone", updatedAt = "updated_at"
    }
}

/// Body of `POST /sla-policies` and `PATCH /sla-policies/{id}`.
struct SLAPolicyWrite: Decodable, Sendable {
    var name: String?
    var kind: SLAKind?
    var conditions: SLAConditions?
    var targets: [String: SLATargets]?
    var calendarID: UUID?
    var warnAtPercent: Int?
    var rank: Int?
    var active: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, conditions, targets, rank, active
        case calendarID = "calendar_id", warnAtPercent = "warn_at_percent"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        kind = try c.decodeIfPresent(SLAKind.self, forKey: .kind)
        conditions = try c.decodeIfPresent(SLAConditions.self, forKey: .conditions)
        targets = try c.decodeIfPresent([String: SLATargets].self, forKey: .targets)
        calendarID = try c.decodeIfPresent(UUID.self, forKey: .calendarID)
        warnAtPercent = try c.decodeIfPresent(Int.self, forKey: .warnAtPercent)
        rank = try c.decodeIfPresent(Int.self, forKey: .rank)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
    }
}

/// An SLA policy as the API shows it.
struct SLAPolicyView: Content {
    var id: UUID
    var name: String
    var kind: SLAKind
    var conditions: SLAConditions
    var targets: [String: SLATargets]
    var calendarID: UUID
    var warnAtPercent: Int
    var rank: Int
    var active: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, kind, conditions, targets, rank, active
        case calendarID = "calendar_id", warnAtPercent = "warn_at_percent"
    }
}

/// Body of `POST /contracts` and `PATCH /contracts/{id}`.
struct ContractWrite: Decodable, Sendable {
    var organisationID: UUID?
    var name: String?
    var level: String?
    var startsOn: LocalDate?
    var endsOn: PatchValue<LocalDate> = .absent
    var slaPolicyID: PatchValue<UUID> = .absent

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, level
        case organisationID = "organisation_id", startsOn = "starts_on", endsOn = "ends_on", slaPolicyID = "sla_policy_id"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        organisationID = try c.decodeIfPresent(UUID.self, forKey: .organisationID)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        level = try c.decodeIfPresent(String.self, forKey: .level)
        startsOn = try c.decodeIfPresent(LocalDate.self, forKey: .startsOn)
        endsOn = try c.decodePatch(LocalDate.self, forKey: .endsOn)
        slaPolicyID = try c.decodePatch(UUID.self, forKey: .slaPolicyID)
    }
}

/// A support contract as the API shows it.
struct ContractView: Content {
    var id: UUID
    var organisationID: UUID
    var name: String
    var level: String
    var startsOn: LocalDate
    var endsOn: LocalDate?
    var slaPolicyID: UUID?

    enum CodingKeys: String, CodingKey {
        case id, name, level
        case organisationID = "organisation_id", startsOn = "starts_on", endsOn = "ends_on", slaPolicyID = "sla_policy_id"
    }
}

/// One promise of a case's service level, as the API and the case page show it.
struct SLAMetricView: Content {
    var metric: SLAMetric
    var state: SLAState
    var targetMinutes: Double
    var usedMinutes: Double
    var pausedMinutes: Double
    var percentUsed: Int
    var dueAt: Date?
    var warnAt: Date?
    var breachedAt: Date?
    var fulfilledAt: Date?
    var earlierBreaches: Int
    var explanation: String

    enum CodingKeys: String, CodingKey {
        case metric, state, explanation
        case targetMinutes = "target_minutes", usedMinutes = "used_minutes", pausedMinutes = "paused_minutes", percentUsed = "percent_used"
        case dueAt = "due_at", warnAt = "warn_at", breachedAt = "breached_at", fulfilledAt = "fulfilled_at", earlierBreaches = "earlier_breaches"
    }

    init(_ report: SLAMetricReport) {
        metric = report.metric
        state = report.state
        targetMinutes = (report.targetSeconds / 60).rounded()
        usedMinutes = (report.usedSeconds / 6).rounded() / 10
        pausedMinutes = (report.pausedSeconds / 6).rounded() / 10
        percentUsed = report.percentUsed
        dueAt = report.dueAt
        warnAt = report.warnAt
        breachedAt = report.breachedAt
        fulfilledAt = report.fulfilledAt
        earlierBreaches = report.earlierBreaches
        explanation = report.explanation
    }
}

/// A case's whole service level.
struct CaseSLAView: Content {
    struct PolicyRef: Content {
        var id: UUID
        var name: String
        var kind: SLAKind
    }

    var reference: String
    var policy: PolicyRef?
    var timeZone: String?
    var state: SLAState?
    var metrics: [SLAMetricView]

    enum CodingKeys: String, CodingKey {
        case reference, policy, state, metrics
        case timeZone = "time_zone"
    }
}

/// One row of the service-level queue.
struct SLAQueueItem: Content {
    var reference: String
    var subject: String
    var priority: String
    var status: String
    var assigneeID: UUID?
    var state: SLAState
    var earliestDueAt: Date?

    enum CodingKeys: String, CodingKey {
        case reference, subject, priority, status, state
        case assigneeID = "assignee_id", earliestDueAt = "earliest_due_at"
    }
}
