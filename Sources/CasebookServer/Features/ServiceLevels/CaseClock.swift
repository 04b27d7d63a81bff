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
        let outcomes = try await recompute([caseID], on: sql, now: now, catalog: known, isNew: isNew)
        return outcomes[caseID] ?? Outcome(report: nil, newWarnings: [], newBreaches: [])
    }

    /// Recomputes many cases with a handful of statements: facts are read for the whole batch,
    /// clocks computed in parallel, and standings written back together. `planned` skips the reading and computing:
    /// a plan the caller made from facts it knows are still current.
    @discardableResult
    func recompute(_ ids: [UUID], on sql: any SQLDatabase, now: Date, catalog known: ServiceLevelCatalog? = nil,
                   isNew: Bool = false, planned: Plan? = nil) async throws -> [UUID: Outcome] {
        guard !ids.isEmpty else { return [:] }
        let catalog: ServiceLevelCatalog
        if let known { catalog = known } else { catalog = try await services.serviceLevels.current(on: sql) }
        if catalog.isEmpty {
            // A case created just now has no standing to clear: keep the hot path to no statement at all.
            if !isNew { try await CaseClockRepository.deleteStandings(ids, on: sql) }
            return [:]
        }
        let plan: Plan
        if let planned { plan = planned } else { plan = try await Self.plan(ids, on: sql, now: now, catalog: catalog, isNew: isNew) }
        try await apply(plan, on: sql)
        return plan.outcomes
    }

    /// What recomputing a batch writes, worked out from what was read; making it reads and never writes, so it can
    /// be made outside the write transaction when nothing else writes meanwhile.
    struct Plan: Sendable {
        let now: Date
        let outcomes: [UUID: Outcome]
        /// Standings that changed, as rows of `CaseClockRepository.standingColumns`.
        let standings: [[RowValue]]
        let entries: TimelineBatch
        /// Targets that reached their warning share or ran over just now, for webhooks.
        let events: [(caseID: UUID, kind: TimelineKind, metric: SLAMetricReport)]
        /// Cases no policy covers any more: their standing goes.
        let uncovered: [UUID]
        /// Next-update promises that reached their warning share just now: their owners are reminded.
        let dueUpdates: [(caseID: UUID, metric: SLAMetricReport)]
    }

    /// Reads the batch's facts, stored standings and timeline positions, and works out what changes. `spread` spreads
    /// the clocks over the cores; a caller that already plans several batches at once, one per core, passes false.
    static func plan(_ ids: [UUID], on sql: any SQLDatabase, now: Date, catalog: ServiceLevelCatalog, isNew: Bool = false,
                     spread: Bool = true) async throws -> Plan {
        let reports = await compute(try await CaseClockFacts.load(ids, on: sql, columns: .clockOnly), catalog: catalog, now: now, spread: spread)
        // A new case has no standing yet; otherwise what is stored decides what changes.
        let standings = isNew ? [:] : try await CaseClockRepository.standings(ids, on: sql)
        var outcomes: [UUID: Outcome] = [:]
        var rows: [[RowValue]] = []
        var events: [(caseID: UUID, kind: TimelineKind, metric: SLAMetricReport)] = []
        for id in ids {
            guard let report = reports[id] else { continue }
            var warned = standings[id]?.marks(\.warned) ?? [], breached = standings[id]?.marks(\.breached) ?? []
            var newWarnings: [SLAMetricReport] = [], newBreaches: [SLAMetricReport] = []
            for metric in report.metrics {
                let key = Self.key(metric)
                if metric.state == .breached, !breached.contains(key) {
                    breached.insert(key)
                    warned.insert(key)
                    newBreaches.append(metric)
                    events.append((id, .slaBreach, metric))
                } else if metric.state == .warning, !warned.contains(key) {
                    warned.insert(key)
                    newWarnings.append(metric)
                    events.append((id, .slaWarning, metric))
                }
            }
            let standing = Standing(policyID: report.policyID, state: report.worstState.rawValue, earliestDueAt: report.earliestDueAt,
                                    nextCheckAt: report.nextCheckAt, warned: warned.sorted().joined(separator: ","),
                                    breached: breached.sorted().joined(separator: ","))
            // Most recomputations change nothing for most cases: those rows are left alone.
            if standings[id].map({ !$0.matches(standing) }) ?? true {
                rows.append([.id(id), RowValue(standing.policyID), .text(standing.state), RowValue(standing.earliestDueAt),
                             RowValue(standing.nextCheckAt), .text(standing.warned), .text(standing.breached), .date(now)])
            }
            outcomes[id] = Outcome(report: report, newWarnings: newWarnings, newBreaches: newBreaches)
        }
        return Plan(now: now, outcomes: outcomes, standings: rows, entries: try await entries(for: events, on: sql, now: now), events: events,
                    uncovered: standings.keys.filter { reports[$0] == nil },
                    dueUpdates: events.filter { $0.kind == .slaWarning && $0.metric.metric == .nextUpdate }.map { ($0.caseID, $0.metric) })
    }

    /// Writes what `plan` says, inside the caller's write transaction.
    func apply(_ plan: Plan, on sql: any SQLDatabase) async throws {
        try await plan.entries.write(on: sql)
        try await WebhookOutbox(services: services).serviceLevelEvents(plan.events, on: sql, now: plan.now)
        try await AgentNotifier(services: services).serviceLevel(plan.events, on: sql, now: plan.now)
        try await remindOwners(plan.dueUpdates, on: sql, now: plan.now)
        if !plan.uncovered.isEmpty { try await CaseClockRepository.deleteStandings(plan.uncovered, on: sql) }
        try await Self.standingInsert.run(plan.standings, on: sql)
    }

    private static let standingInsert = RowInsert(into: "case_sla", columns: SQLColumnList(CaseClockRepository.standingColumns),
                                                  updatingOnConflictOf: ["case_id"])

    /// A case's stored standing, as the queues read it.
    struct Standing: Equatable {
        var policyID: UUID?
        var state: String
        var earliestDueAt: Date?
        var nextCheckAt: Date?
        var warned: String
        var breached: String

        init(policyID: UUID?, state: String, earliestDueAt: Date?, nextCheckAt: Date?, warned: String, breached: String) {
            (self.policyID, self.state, self.earliestDueAt, self.nextCheckAt, self.warned, self.breached) =
                (policyID, state, earliestDueAt, nextCheckAt, warned, breached)
        }

        init(row: any SQLRow) throws {
            self.init(policyID: try row.decode(column: "policy_id", as: UUID?.self), state: try row.decode(column: "state", as: String.self),
                      earliestDueAt: try row.decode(column: "earliest_due_at", as: Date?.self),
                      nextCheckAt: try row.decode(column: "next_check_at", as: Date?.self),
                      warned: try row.decode(column: "warned", as: String.self), breached: try row.decode(column: "breached", as: String.self))
        }

        /// The metrics already warned about (or breached), from their comma-separated list.
        func marks(_ list: KeyPath<Standing, String>) -> Set<String> {
            Set(self[keyPath: list].split(separator: ",").map(String.init))
        }

        /// Equal, with times compared to the millisecond the databases keep.
        func matches(_ other: Standing) -> Bool {
            func same(_ a: Date?, _ b: Date?) -> Bool {
                switch (a, b) {
                case (nil, nil): true
                case let (a?, b?): abs(a.timeIntervalSince(b)) < 0.001
                default: false
                }
            }
            return policyID == other.policyID && state == other.state && warned == other.warned && breached == other.breached
                && same(earliestDueAt, other.earliestDueAt) && same(nextCheckAt, other.nextCheckAt)
        }
    }

    /// Reminds each owner whose public update is coming due (the next-update promise reached its warning share).
    func remindOwners(_ due: [(caseID: UUID, metric: SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws {
        guard !due.isEmpty else { return }
        for record in try await CaseRepository.find(ids: due.map(\.caseID), on: sql) {
            guard let owner = record.assigneeID, let email = try await RuleTargetRepository.email(of: owner, on: sql),
                  let metric = due.first(where: { $0.caseID == record.id })?.metric else { continue }
            try await CaseNotifier(services: services).notifyStaff(email, record: record,
                                                                    reason: "A public update to the customer is due. \(metric.explanation)", on: sql, now: now)
        }
    }

    /// Warning and breach entries for many cases, numbered after each case's last entry (one position query).
    static func entries(for events: [(caseID: UUID, kind: TimelineKind, metric: SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws -> TimelineBatch {
        var batch = TimelineBatch()
        guard !events.isEmpty else { return batch }
        let caseIDs = Array(Set(events.map(\.caseID)))
        var next = try await CaseClockRepository.nextTimelinePositions(caseIDs, on: sql)
        for (caseID, kind, metric) in events {
            let position = next[caseID] ?? 1
            next[caseID] = position + 1
            batch.add(caseID: caseID, position: position, kind: kind, actorID: nil, field: metric.metric.rawValue,
                      new: metric.explanation, visibility: .internal, at: now)
        }
        return batch
    }

    /// Clocks for a batch, spread over the machine's cores unless `spread` is false (each lane on an event loop of its
    /// own: see `EventLoopExecutor`).
    static func compute(_ facts: [CaseClockFacts], catalog: ServiceLevelCatalog, now: Date, spread: Bool = true) async -> [UUID: SLAReport] {
        let lanes = spread ? max(1, min(EventLoopExecutor.all.count, facts.count / 64 + 1)) : 1
        return await withTaskGroup(of: [(UUID, SLAReport)].self) { group in
            for lane in 0..<lanes {
                group.addTask(executorPreference: lanes > 1 ? EventLoopExecutor.lane(lane) : nil) {
                    stride(from: lane, to: facts.count, by: lanes).compactMap { index in
                        let item = facts[index]
                        return item.report(catalog: catalog, now: now).map { (item.caseID, $0) }
                    }
                }
            }
            var result: [UUID: SLAReport] = [:]
            for await part in group { for (id, report) in part { result[id] = report } }
            return result
        }
    }

    /// The report for a case as it stands (nil when no policy applies).
    func report(for record: CaseRecord, catalog: ServiceLevelCatalog, on sql: any SQLDatabase, now: Date) async throws -> SLAReport? {
        guard !catalog.isEmpty else { return nil }
        return try await CaseClockFacts.load([record.id], on: sql).first?.report(catalog: catalog, now: now)
    }

    /// Which warning or breach a metric's state belongs to: next-update promises renew with each reply.
    static func key(_ metric: SLAMetricReport) -> String {
        metric.metric == .nextUpdate ? "\(metric.metric.rawValue)#\(metric.cycle)" : metric.metric.rawValue
    }
}
