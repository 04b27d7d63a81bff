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
    /// clocks computed in parallel, and standings written back together.
    @discardableResult
    func recompute(_ ids: [UUID], on sql: any SQLDatabase, now: Date, catalog known: ServiceLevelCatalog? = nil,
                   isNew: Bool = false) async throws -> [UUID: Outcome] {
        guard !ids.isEmpty else { return [:] }
        let catalog: ServiceLevelCatalog
        if let known { catalog = known } else { catalog = try await services.serviceLevels.current(on: sql) }
        if catalog.isEmpty {
            // A case created just now has no standing to clear: keep the hot path to no statement at all.
            if !isNew { try await sql.delete(from: "case_sla").where("case_id", .in, ids).run() }
            return [:]
        }
        let facts = try await CaseClockFacts.load(ids, on: sql, columns: .clockOnly)
        let reports = await Self.compute(facts, catalog: catalog, now: now)
        let stored = try await sql.select().columns("case_id", "warned", "breached").from("case_sla").where("case_id", .in, ids).all()
        var marks: [UUID: (warned: Set<String>, breached: Set<String>)] = [:]
        for row in stored {
            marks[try row.decode(column: "case_id", as: UUID.self)] = (
                Set(try row.decode(column: "warned", as: String.self).split(separator: ",").map(String.init)),
                Set(try row.decode(column: "breached", as: String.self).split(separator: ",").map(String.init)))
        }
        var outcomes: [UUID: Outcome] = [:]
        var rows: [[any SQLExpression]] = []
        var events: [(UUID, String, SLAMetricReport)] = []
        for id in ids {
            guard let report = reports[id] else { continue }
            var (warned, breached) = marks[id] ?? ([], [])
            var newWarnings: [SLAMetricReport] = [], newBreaches: [SLAMetricReport] = []
            for metric in report.metrics {
                let key = Self.key(metric)
                if metric.state == .breached, !breached.contains(key) {
                    breached.insert(key)
                    warned.insert(key)
                    newBreaches.append(metric)
                    events.append((id, "sla_breach", metric))
                } else if metric.state == .warning, !warned.contains(key) {
                    warned.insert(key)
                    newWarnings.append(metric)
                    events.append((id, "sla_warning", metric))
                }
            }
            rows.append([SQLBind(id), SQLBind(report.policyID), SQLBind(report.worstState.rawValue), SQLBind(report.earliestDueAt),
                         SQLBind(report.nextCheckAt), SQLBind(warned.sorted().joined(separator: ",")),
                         SQLBind(breached.sorted().joined(separator: ",")), SQLBind(now)])
            outcomes[id] = Outcome(report: report, newWarnings: newWarnings, newBreaches: newBreaches)
        }
        try await Self.record(events, on: sql, now: now)
        try await remindOwners(events, on: sql, now: now)
        if !isNew { try await sql.delete(from: "case_sla").where("case_id", .in, ids).run() }
        // 500 rows of 8 values stays well below both databases' limits on bound parameters (32,766 and 65,535).
        for chunk in stride(from: 0, to: rows.count, by: 500) {
            try await sql.insert(into: "case_sla")
                .columns("case_id", "policy_id", "state", "earliest_due_at", "next_check_at", "warned", "breached", "updated_at")
                .rows(Array(rows[chunk..<min(chunk + 500, rows.count)]))
                .run()
        }
        return outcomes
    }

    /// Reminds each owner whose public update is coming due (the next-update promise reached its warning share).
    func remindOwners(_ events: [(UUID, String, SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws {
        let due = events.filter { $0.1 == "sla_warning" && $0.2.metric == .nextUpdate }
        guard !due.isEmpty else { return }
        for record in try await CaseRows.find(ids: due.map(\.0), on: sql) {
            guard let owner = record.assigneeID, let email = try await RuleApplier.email(of: owner, on: sql),
                  let metric = due.first(where: { $0.0 == record.id })?.2 else { continue }
            try await CaseNotifier(services: services).notifyStaff(email, record: record,
                                                                    reason: "A public update to the customer is due. \(metric.explanation)", on: sql, now: now)
        }
    }

    /// Writes warning and breach entries for many cases with one position query and batched inserts.
    static func record(_ events: [(UUID, String, SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws {
        guard !events.isEmpty else { return }
        let caseIDs = Array(Set(events.map(\.0)))
        var next: [UUID: Int] = [:]
        for chunk in stride(from: 0, to: caseIDs.count, by: 500) {
            let part = Array(caseIDs[chunk..<min(chunk + 500, caseIDs.count)])
            for row in try await sql.raw("""
                SELECT case_id, MAX(position) AS last FROM timeline_entries WHERE case_id IN (\(binds: part)) GROUP BY case_id
                """).all() {
                next[try row.decode(column: "case_id", as: UUID.self)] = try row.decode(column: "last", as: Int.self) + 1
            }
        }
        var batch = TimelineBatch()
        for (caseID, kind, metric) in events {
            let position = next[caseID] ?? 1
            next[caseID] = position + 1
            batch.add(caseID: caseID, position: position, kind: kind, actorID: nil, field: metric.metric.rawValue,
                      new: metric.explanation, visibility: .internal, at: now)
        }
        try await batch.write(on: sql)
    }

    /// Clocks for a batch, spread over the machine's cores.
    static func compute(_ facts: [CaseClockFacts], catalog: ServiceLevelCatalog, now: Date) async -> [UUID: SLAReport] {
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, facts.count / 64 + 1))
        return await withTaskGroup(of: [(UUID, SLAReport)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
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
