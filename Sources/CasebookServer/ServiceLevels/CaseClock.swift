import CasebookCore
import Foundation
import SQLKit

/// Keeps each case's service-level standing current: recomputes its clocks from the timeline,
/// stores what the queues need, and records warnings and breaches on the timeline once each.
struct CaseClock {
    let services: CasebookServices

    /// What a recomputation found and changed.
    struct Outcome: Sendable {
        let report: SLAReport?
        let newWarnings: [SLAMetricReport]
        let newBreaches: [SLAMetricReport]
    }

    /// Recomputes case `caseID` inside the caller's write transaction.
    @discardableResult
    func recompute(caseID: UUID, on sql: any SQLDatabase, now: Date, catalog known: ServiceLevelCatalog? = nil, isNew: Bool = false) async throws -> Outcome {
        let catalog: ServiceLevelCatalog
        if let known { catalog = known } else { catalog = try await services.serviceLevels.current(on: sql) }
        if catalog.isEmpty {
            // A case created just now has no standing to clear: keep the hot path to no statement at all.
            if isNew { return Outcome(report: nil, newWarnings: [], newBreaches: []) }
            try await sql.delete(from: "case_sla").where("case_id", .equal, caseID).run()
            return Outcome(report: nil, newWarnings: [], newBreaches: [])
        }
        guard let record = try await CaseRows.find(id: caseID, on: sql) else { throw Problem.notFound("The case") }
        guard let (report, _) = try await report(for: record, catalog: catalog, on: sql, now: now) else {
            try await sql.delete(from: "case_sla").where("case_id", .equal, caseID).run()
            return Outcome(report: nil, newWarnings: [], newBreaches: [])
        }
        let stored = try await sql.select().columns("warned", "breached").from("case_sla").where("case_id", .equal, caseID).first()
        var warned = Set((try stored?.decode(column: "warned", as: String.self) ?? "").split(separator: ",").map(String.init))
        var breached = Set((try stored?.decode(column: "breached", as: String.self) ?? "").split(separator: ",").map(String.init))
        var newWarnings: [SLAMetricReport] = [], newBreaches: [SLAMetricReport] = []
        for metric in report.metrics {
            let key = Self.key(metric)
            if metric.state == .breached, !breached.contains(key) {
                breached.insert(key)
                warned.insert(key)
                newBreaches.append(metric)
            } else if metric.state == .warning, !warned.contains(key) {
                warned.insert(key)
                newWarnings.append(metric)
            }
        }
        if !newWarnings.isEmpty || !newBreaches.isEmpty {
            var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: nil, at: now, on: sql)
            for metric in newWarnings {
                timeline.record(kind: "sla_warning", visibility: .internal, field: metric.metric.rawValue, new: metric.explanation)
            }
            for metric in newBreaches {
                timeline.record(kind: "sla_breach", visibility: .internal, field: metric.metric.rawValue, new: metric.explanation)
            }
            try await timeline.write(on: sql)
        }
        try await sql.delete(from: "case_sla").where("case_id", .equal, caseID).run()
        try await sql.insert(into: "case_sla")
            .columns("case_id", "policy_id", "state", "earliest_due_at", "next_check_at", "warned", "breached", "updated_at")
            .values(SQLBind(caseID), SQLBind(report.policyID), SQLBind(report.worstState.rawValue), SQLBind(report.earliestDueAt),
                    SQLBind(report.nextCheckAt), SQLBind(warned.sorted().joined(separator: ",")),
                    SQLBind(breached.sorted().joined(separator: ",")), SQLBind(now))
            .run()
        return Outcome(report: report, newWarnings: newWarnings, newBreaches: newBreaches)
    }

    /// The report for a case as it stands (nil when no policy applies), with the history it came from.
    func report(for record: CaseRecord, catalog: ServiceLevelCatalog, on sql: any SQLDatabase, now: Date) async throws -> (SLAReport, SLAHistory)? {
        guard !catalog.isEmpty, let priority = Priority(rawValue: record.priority) else { return nil }
        let facts = SLACaseFacts(organisationID: record.organisationID.map(OrganisationID.init), priority: priority,
                                 productID: record.productID.map(ProductID.init), type: CaseType(rawValue: record.type) ?? .incident,
                                 contract: try await Self.contract(for: record, on: sql))
        guard let policy = SLAPolicySelection.choose(for: facts, among: catalog.policies) else { return nil }
        let history = try await Self.history(of: record, on: sql)
        guard let report = SLAClock.report(history: history, policy: policy, priority: priority, now: now) else { return nil }
        return (report, history)
    }

    /// Which warning or breach a metric's state belongs to: next-update promises renew with each reply.
    static func key(_ metric: SLAMetricReport) -> String {
        metric.metric == .nextUpdate ? "\(metric.metric.rawValue)#\(metric.cycle)" : metric.metric.rawValue
    }

    /// The organisation's contract in force on the day the case was opened (UTC).
    static func contract(for record: CaseRecord, on sql: any SQLDatabase) async throws -> ContractFacts? {
        guard let organisation = record.organisationID else { return nil }
        let day = LocalDate(dayNumber: Int((record.createdAt.timeIntervalSince1970 / 86_400).rounded(.down))).description
        let rows = try await sql.raw("""
            SELECT id, level, starts_on, ends_on, sla_policy_id FROM contracts
            WHERE organisation_id = \(bind: organisation) AND starts_on <= \(bind: day) AND (ends_on IS NULL OR ends_on >= \(bind: day))
            ORDER BY starts_on DESC LIMIT 1
            """).all()
        return try rows.first.map { row in
            ContractFacts(id: try row.decode(column: "id", as: UUID.self), level: try row.decode(column: "level", as: String.self),
                          startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
                          endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
                          policyID: try row.decode(column: "sla_policy_id", as: UUID?.self))
        }
    }

    /// The status changes and public staff replies of a case, read from its timeline and messages.
    static func history(of record: CaseRecord, on sql: any SQLDatabase) async throws -> SLAHistory {
        let changes = try await sql.raw("""
            SELECT created_at, old_value, new_value FROM timeline_entries
            WHERE case_id = \(bind: record.id) AND kind = 'field_changed' AND field = 'status' ORDER BY position
            """).all()
        var statuses: [SLAHistory.StatusChange] = []
        let initial = try changes.first.flatMap { try $0.decode(column: "old_value", as: String?.self) }.flatMap(CaseStatus.init(rawValue:))
            ?? CaseStatus(rawValue: record.status) ?? .new
        statuses.append(SLAHistory.StatusChange(at: record.createdAt, status: initial))
        for row in changes {
            if let status = CaseStatus(rawValue: try row.decode(column: "new_value", as: String?.self) ?? "") {
                statuses.append(SLAHistory.StatusChange(at: try row.decode(column: "created_at", as: Date.self), status: status))
            }
        }
        let replies = try await sql.raw("""
            SELECT messages.created_at AS created_at FROM messages JOIN users ON users.id = messages.author_id
            WHERE messages.case_id = \(bind: record.id) AND messages.visibility = 'public' AND users.role <> 'customer'
              AND messages.created_at > \(bind: record.createdAt)
            ORDER BY messages.created_at
            """).all().map { try $0.decode(column: "created_at", as: Date.self) }
        return SLAHistory(openedAt: record.createdAt, statuses: statuses, publicStaffReplies: replies)
    }
}
