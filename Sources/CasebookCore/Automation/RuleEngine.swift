import Foundation

/// What one matching rule will do to a case, before anything is written.
public struct RulePlan: Sendable, Equatable {
    public let ruleID: UUID
    public let ruleName: String
    public let reason: String
    public var patch: CasePatch
    /// A named group or person to assign; the server resolves names and ids.
    public var assignGroup: String?
    public var assignPerson: String?
    /// The tier to escalate to, when the rule escalates; the server picks that tier's group.
    public var escalateToTier: Int?
    /// Why an escalation the rule asked for did not happen (the case is already at the highest tier with a group).
    public var escalationHeld: String?
    public var notes: [String]
    public var notifications: [String]
    public var templates: [String]
    /// The rule asks that every later public reply on the case waits for review.
    public var reviewReplies = false

    public var isEscalation: Bool { escalateToTier != nil }
}

/// Matches rules against a case and plans their actions: pure, so a dry run and the real run agree.
public enum RuleEngine {
    /// Plans for every active rule of `trigger` that matches, in position order. Each rule sees the
    /// case as the rules before it left it, so two rules never undo each other silently.
    public static func evaluate(_ rules: [AutomationRule], trigger: RuleTrigger, facts: RuleFacts) -> [RulePlan] {
        var current = facts
        var plans: [RulePlan] = []
        for rule in rules where rule.trigger == trigger && rule.matches(current) {
            let plan = self.plan(rule, facts: current)
            plans.append(plan)
            current.state = projected(current.state, plan)
        }
        return plans
    }

    /// The plan for one rule that matched.
    public static func plan(_ rule: AutomationRule, facts: RuleFacts) -> RulePlan {
        var plan = RulePlan(ruleID: rule.id, ruleName: rule.name, reason: rule.reason(facts), patch: CasePatch(),
                            notes: [], notifications: [], templates: [])
        // Past the highest tier with a group there is nobody to hand the case to: the case stays where it is, and says so.
        let ceiling = facts.highestTier ?? 9
        var tags = facts.state.tags
        var priority = facts.state.priority
        var tier = facts.state.tier
        for action in rule.actions {
            let value = action.value ?? ""
            switch action.kind {
            case .setPriority:
                priority = Priority(rawValue: value) ?? priority
                plan.patch.priority = priority
            case .raisePriority:
                priority = Priority.allCases.first { $0.rank == min(priority.rank + 1, Priority.urgent.rank) } ?? priority
                plan.patch.priority = priority
            case .setStatus:
                plan.patch.status = CaseStatus(rawValue: value)
            case .assignGroup:
                plan.assignGroup = value
            case .assignPerson:
                plan.assignPerson = value
            case .setTier:
                let wanted = Int(value) ?? tier
                if wanted > ceiling, wanted > tier {
                    plan.escalationHeld = "tier \(wanted) has no group; the highest tier with one is \(ceiling)"
                } else {
                    tier = wanted
                    plan.patch.tier = tier
                    plan.escalateToTier = tier > facts.state.tier ? tier : nil
                }
            case .escalate:
                if tier >= ceiling {
                    plan.escalationHeld = "the case is at tier \(tier), the highest with a group"
                } else {
                    tier += 1
                    plan.patch.tier = tier
                    plan.escalateToTier = tier
                }
            case .addTag:
                if !tags.contains(value.lowercased()) { tags.append(value.lowercased()) }
                plan.patch.tags = tags
            case .removeTag:
                tags.removeAll { $0 == value.lowercased() }
                plan.patch.tags = tags
            case .addInternalNote:
                plan.notes.append(value)
            case .sendTemplate:
                plan.templates.append(value)
            case .notify:
                plan.notifications.append(value)
            case .reviewReplies:
                plan.reviewReplies = true
            }
        }
        if plan.patch.priority == facts.state.priority { plan.patch.priority = nil }
        if plan.patch.tier == facts.state.tier { plan.patch.tier = nil }
        if plan.patch.tags == facts.state.tags { plan.patch.tags = nil }
        return plan
    }

    /// The state after a plan's own field changes (assignments resolve later and are left out).
    static func projected(_ state: CaseState, _ plan: RulePlan) -> CaseState {
        var next = state
        if let priority = plan.patch.priority { next.priority = priority }
        if let status = plan.patch.status { next.status = status }
        if let tier = plan.patch.tier { next.tier = tier }
        if let tags = plan.patch.tags { next.tags = tags }
        return next
    }
}
