import CasebookCore
import Foundation
import SQLKit

/// Evaluates time rules against every open case; each rule fires at most once per case.
enum TimeRuleSweep {
    static let key = "rules.time"
    static let batchSize = 500

    /// Runs the time rules now; returns how many rule firings happened.
    @discardableResult
    static func run(services: CasebookServices) async throws -> Int {
        let rules = try await services.automations.current(on: services.store.sql).filter { $0.trigger == .time }
        guard !rules.isEmpty else { return 0 }
        var after: UUID?
        var fired = 0
        while true {
            let ids = try await CaseRepository.openCaseIDs(after: after, limit: batchSize, on: services.store.sql)
            guard let last = ids.last else { return fired }
            let now = services.clock()
            fired += try await services.store.write { db in
                let sql = services.store.sql(db)
                let done = try await AutomationRuleRepository.firings(of: ids, on: sql)
                let results = try await RuleApplier(services: services).run(ids, trigger: .time, rules: rules, on: sql, now: now) { rule, caseID in
                    done.contains("\(rule)/\(caseID)")
                }
                var count = 0
                for result in results {
                    for plan in result.plans {
                        try await AutomationRuleRepository.recordFiring(rule: plan.ruleID, caseID: result.caseID, at: now, on: sql)
                        count += 1
                    }
                    try await CaseClock(services: services).recompute(caseID: result.caseID, on: sql, now: now)
                }
                return count
            }
            after = last
        }
    }
}
