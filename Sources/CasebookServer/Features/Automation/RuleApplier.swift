import CasebookCore
import Foundation
import SQLKit

/// Runs automation and escalation rules against cases and writes what they do, explained, on the timeline.
///
/// Changes made by rules do not trigger event rules again, so two rules can never ping-pong.
struct RuleApplier {
    let services: CasebookServices

    /// One case's plans, for a dry run or after applying.
    struct CasePlans: Sendable {
        let caseID: UUID
        let number: Int
        let plans: [RulePlan]
        /// What each plan changed (or would change): `field: old → new`.
        var changes: [[FieldChange]]
        var failures: [String]
    }

    /// Evaluates `rules` of `trigger` for the cases and applies the plans, inside the caller's transaction.
    @discardableResult
    func run(_ caseIDs: [UUID], trigger: RuleTrigger, rules known: [AutomationRule]? = nil, on sql: any SQLDatabase, now: Date,
             apply: Bool = true, skip: (UUID, UUID) -> Bool = { _, _ in false }) async throws -> [CasePlans] {
        let rules: [AutomationRule]
        if let known { rules = known } else { rules = try await services.automations.current(on: sql) }
        let relevant = rules.filter { $0.trigger == trigger }
        guard !relevant.isEmpty, !caseIDs.isEmpty else { return [] }
        let facts = try await CaseClockFacts.load(caseIDs, on: sql)
        let catalog = try await services.serviceLevels.current(on: sql)
        let escalates = relevant.contains { $0.actions.contains { $0.kind == .escalate || $0.kind == .setTier } }
        let highestTier = escalates ? try await RuleTargetRepository.highestStaffedTier(on: sql) : nil
        var results: [CasePlans] = []
        for item in facts {
            var ruleFacts = Self.facts(item, catalog: catalog, now: now)
            ruleFacts.highestTier = highestTier
            let applicable = relevant.filter { !skip($0.id, item.caseID) }
            let plans = RuleEngine.evaluate(applicable, trigger: trigger, facts: ruleFacts)
            guard !plans.isEmpty else { continue }
            var result = CasePlans(caseID: item.caseID, number: item.record.number, plans: plans, changes: [], failures: [])
            // The row was read with the facts, inside this transaction; each plan works on it as the previous one left it.
            var record = item.record
            for plan in plans {
                do {
                    result.changes.append(try await self.apply(plan, to: &record, on: sql, now: now, write: apply))
                } catch {
                    let reason = Problem.reason(error)
                    result.changes.append([])
                    result.failures.append("\(plan.ruleName): \(reason)")
                    if apply {
                        var timeline = try await TimelineWriter.continuing(caseID: item.caseID, actorID: nil, at: now, on: sql)
                        timeline.record(kind: .ruleFailed, visibility: .internal, field: plan.ruleName, new: String(reason.prefix(500)))
                        try await timeline.write(on: sql)
                    }
                }
            }
            results.append(result)
        }
        return results
    }

    /// A case as rules see it, with its clock and recent activity.
    static func facts(_ item: CaseClockFacts, catalog: ServiceLevelCatalog, now: Date) -> RuleFacts {
        let report = item.report(catalog: catalog, now: now)
        let running = report?.metrics.filter { [.running, .warning, .breached].contains($0.state) } ?? []
        func hours(_ date: Date?) -> Double? { date.map { (now.timeIntervalSince($0) / 3600 * 100).rounded() / 100 } }
        return RuleFacts(state: CaseLookup.state(item.record), channel: item.record.channel,
                         slaPercentUsed: running.map(\.percentUsed).max(), slaState: report?.worstState,
                         hoursSinceCustomerReply: hours(item.lastCustomerMessageAt), hoursSinceAgentReply: hours(item.lastStaffReplyAt),
                         hoursSinceUpdate: hours(item.record.updatedAt), contractLevel: item.contractLevel, tone: item.record.tone)
    }

    /// Applies one plan (or, with `write` false, only works out what it would change).
    private func apply(_ plan: RulePlan, to record: inout CaseRecord, on sql: any SQLDatabase, now: Date, write: Bool) async throws -> [FieldChange] {
        let caseID = record.id
        var patch = plan.patch
        if let name = plan.assignGroup {
            patch.groupID = .some(GroupID(try await Self.group(named: name, on: sql)))
        } else if let tier = plan.escalateToTier, let group = try await RuleTargetRepository.group(forTier: tier, on: sql) {
            patch.groupID = .some(GroupID(group))
        }
        if let person = plan.assignPerson { patch.assigneeID = .some(UserID(try await Self.staff(person, on: sql))) }
        let before = CaseLookup.state(record)
        let (after, changes) = try before.applying(patch, definitions: [])
        guard write else { return changes }
        var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: nil, at: now, on: sql)
        timeline.record(kind: .ruleApplied, visibility: .internal, field: plan.ruleName, new: plan.reason)
        if !changes.isEmpty {
            let reopens = try before.status.transition(to: after.status).isReopen
            CaseLookup.apply(after, to: &record)
            if reopens { record.reopenCount += 1 }
            record.version += 1
            record.updatedAt = now
            UpdateCase.stampStatus(after.status, on: &record, at: now)
            try await CaseRepository.update(record, on: sql)
            if after.tags != before.tags { try await CaseRepository.writeTags(after.tags, caseID: caseID, replacing: true, on: sql) }
            timeline.record(changes)
            try await AgentNotifier(services: services).notify(CaseActivity(record: record, actorID: nil, changes: changes), on: sql, now: now)
        }
        if let held = plan.escalationHeld {
            timeline.record(kind: .escalationHeld, visibility: .internal, field: "tier", old: String(before.tier), new: "Not escalated: \(held); \(plan.reason)")
        }
        if let tier = plan.escalateToTier {
            // The owner stays on the case and is named in the entry: escalation adds a tier, it does not hide who is responsible.
            let owner = try await record.assigneeID.asyncMap { try await RuleTargetRepository.email(of: $0, on: sql) } ?? "nobody yet"
            timeline.record(kind: .escalated, visibility: .internal, field: "tier", old: String(before.tier), new: "Tier \(tier); owner \(owner); \(plan.reason)")
        }
        for recipient in plan.notifications {
            for address in try await Self.recipients(recipient, record: record, on: sql) {
                timeline.record(kind: .notification, visibility: .internal, field: recipient, new: "\(address): \(plan.reason)")
                try await CaseNotifier(services: services).notifyStaff(address, record: record, reason: plan.reason, on: sql, now: now)
            }
        }
        for template in plan.templates {
            try await CaseNotifier(services: services).sendTemplate(template, record: record, on: sql, now: now)
            timeline.record(kind: .templateSent, visibility: .internal, field: template, new: plan.reason)
        }
        if plan.reviewReplies {
            try await ReplyReviewRepository.requireReview(caseID: caseID, rule: plan.ruleName, at: now, on: sql)
        }
        for note in plan.notes {
            let message = MessageRecord(caseID: caseID, authorID: nil, visibility: Visibility.internal.rawValue, channel: CaseChannel.system.rawValue,
                                        text: note, html: nil, createdAt: now)
            try await message.insert(on: sql)
            timeline.record(kind: .message, visibility: .internal, messageID: message.id)
        }
        try await timeline.write(on: sql)
        return changes
    }

    /// The current group a rule names (by name or id); a retired group takes no new cases, as when an agent assigns one.
    static func group(named name: String, on sql: any SQLDatabase) async throws -> UUID {
        guard let group = try await RuleTargetRepository.group(named: name, on: sql) else {
            throw DomainError.invalid("assign_group", "names no group '\(name)'")
        }
        guard group.retiredAt == nil else { throw DomainError.invalid("assign_group", "names the retired group '\(name)'; name a current one") }
        return group.id
    }

    /// The active member of staff a rule names (by address or id).
    static func staff(_ person: String, on sql: any SQLDatabase) async throws -> UUID {
        guard let id = try await RuleTargetRepository.activeStaff(named: person, on: sql) else {
            throw DomainError.invalid("assign_person", "names no active member of staff '\(person)'")
        }
        return id
    }

    /// The addresses a `notify` action reaches for this case.
    static func recipients(_ recipient: String, record: CaseRecord, on sql: any SQLDatabase) async throws -> [String] {
        switch recipient {
        case "assignee":
            return try await record.assigneeID.asyncMap { try await RuleTargetRepository.email(of: $0, on: sql) }.map { [$0] } ?? []
        case "account_manager":
            guard let organisation = record.organisationID,
                  let manager = try await RuleTargetRepository.accountManager(of: organisation, on: sql)
            else { return [] }
            return try await RuleTargetRepository.email(of: manager, on: sql).map { [$0] } ?? []
        case "group", "on_call":
            // On call is the case's group (or, with none, its tier's group): whoever is rostered there is told.
            var groupID = record.groupID
            if groupID == nil { groupID = try await RuleTargetRepository.group(forTier: record.tier, on: sql) }
            guard let groupID else { return [] }
            return try await RuleTargetRepository.activeMemberEmails(of: groupID, on: sql)
        default:
            return [recipient.lowercased()]
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
