import Foundation

/// When a rule is looked at: on an event, or periodically.
public enum RuleTrigger: String, Sendable, Codable, CaseIterable {
    case caseCreated = "case_created", caseUpdated = "case_updated"
    case customerReplied = "customer_replied", agentReplied = "agent_replied"
    /// Evaluated on a timer against every open case; fires once per case.
    case time
}

/// An automation or escalation rule, as admins define it: a trigger, conditions and actions.
public struct AutomationRule: Sendable, Equatable {
    public let id: UUID
    public var name: String
    public var trigger: RuleTrigger
    /// All must hold.
    public var conditions: [RuleCondition]
    /// At least one must hold, when any are given.
    public var anyConditions: [RuleCondition]
    public var actions: [RuleAction]
    public var position: Int

    public init(id: UUID, name: String, trigger: RuleTrigger, conditions: [RuleCondition], anyConditions: [RuleCondition] = [],
                actions: [RuleAction], position: Int = 100) throws(RuleError) {
        guard !actions.isEmpty else { throw RuleError.invalid("rule", "needs at least one action") }
        if trigger == .time && conditions.isEmpty && anyConditions.isEmpty {
            throw RuleError.invalid("time rule", "needs at least one condition, or it would act on every open case")
        }
        self.id = id
        self.name = name
        self.trigger = trigger
        self.conditions = conditions
        self.anyConditions = anyConditions
        self.actions = actions
        self.position = position
    }

    /// Whether the rule's conditions hold for `facts`.
    public func matches(_ facts: RuleFacts) -> Bool {
        conditions.allSatisfy { $0.holds(for: facts.value(of: $0.field)) }
            && (anyConditions.isEmpty || anyConditions.contains { $0.holds(for: facts.value(of: $0.field)) })
    }

    /// Why the rule matched, for the timeline: the conditions that held.
    public func reason(_ facts: RuleFacts) -> String {
        let held = conditions.map(\.description) + anyConditions.filter { $0.holds(for: facts.value(of: $0.field)) }.map(\.description)
        return "Rule '\(name)'" + (held.isEmpty ? "" : " because " + held.joined(separator: " and "))
    }
}
