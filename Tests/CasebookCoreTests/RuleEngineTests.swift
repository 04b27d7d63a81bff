import CasebookCore
import Foundation
import Testing

@Suite("Automation and escalation rules")
struct RuleEngineTests {
    static func facts(priority: Priority = .normal, tags: [String] = [], percent: Int? = nil, hours: Double? = nil, tier: Int = 1) -> RuleFacts {
        RuleFacts(state: CaseState(subject: "VPN drops every hour", priority: priority, requesterID: UserID(), tier: tier, tags: tags),
                  channel: "email", slaPercentUsed: percent, slaState: percent.map { $0 >= 100 ? .breached : $0 >= 75 ? .warning : .running },
                  hoursSinceCustomerReply: hours, contractLevel: "gold")
    }

    @Test("conditions compare text, lists, numbers and presence, case-insensitively")
    func conditions() throws {
        let f = Self.facts(priority: .high, tags: ["vpn", "network"], percent: 80, hours: 5)
        #expect(try RuleCondition(.priority, .equals, .text("HIGH")).holds(for: f.value(of: .priority)))
        #expect(try RuleCondition(.priority, .oneOf, .list(["urgent", "high"])).holds(for: f.value(of: .priority)))
        #expect(try RuleCondition(.tags, .noneOf, .list(["billing"])).holds(for: f.value(of: .tags)))
        #expect(try RuleCondition(.tags, .equals, .text("vpn")).holds(for: f.value(of: .tags)))
        #expect(try RuleCondition(.subject, .contains, .text("drops")).holds(for: f.value(of: .subject)))
        #expect(try RuleCondition(.slaPercentUsed, .atLeast, .number(80)).holds(for: f.value(of: .slaPercentUsed)))
        #expect(try !RuleCondition(.slaPercentUsed, .greaterThan, .number(80)).holds(for: f.value(of: .slaPercentUsed)))
        #expect(try RuleCondition(.hoursSinceCustomerReply, .lessThan, .number(6)).holds(for: f.value(of: .hoursSinceCustomerReply)))
        #expect(try RuleCondition(.assigneeID, .isNotSet).holds(for: f.value(of: .assigneeID)))
        #expect(try RuleCondition(.contractLevel, .isSet).holds(for: f.value(of: .contractLevel)))
        #expect(try !RuleCondition(.slaPercentUsed, .atLeast, .number(1)).holds(for: Self.facts().value(of: .slaPercentUsed)),
                "a case with no clock never satisfies a numeric test")
        #expect(throws: RuleError.self) { try RuleCondition(.priority, .equals) }
        #expect(throws: RuleError.self) { try RuleCondition(.tier, .greaterThan, .text("two")) }
        #expect(throws: RuleError.self) { try RuleAction(.setPriority, "critical") }
        #expect(throws: RuleError.self) { try RuleAction(.notify, "the boss") }
        #expect(throws: RuleError.self) {
            try AutomationRule(id: UUID(), name: "all", trigger: .time, conditions: [], actions: [try RuleAction(.escalate)])
        }
    }

    @Test("rules run in order and each sees the case as the earlier ones left it; every plan says why")
    func chaining() throws {
        let raise = try AutomationRule(id: UUID(), name: "VPN is high", trigger: .caseCreated,
                                       conditions: [try RuleCondition(.subject, .contains, .text("vpn"))],
                                       actions: [try RuleAction(.setPriority, "high"), try RuleAction(.addTag, "VPN")], position: 1)
        let escalate = try AutomationRule(id: UUID(), name: "High VPN to L2", trigger: .caseCreated,
                                          conditions: [try RuleCondition(.priority, .equals, .text("high")), try RuleCondition(.tags, .equals, .text("vpn"))],
                                          actions: [try RuleAction(.escalate), try RuleAction(.notify, "account_manager"),
                                                    try RuleAction(.addInternalNote, "Escalated by rule")], position: 2)
        let other = try AutomationRule(id: UUID(), name: "On update", trigger: .caseUpdated,
                                       conditions: [try RuleCondition(.priority, .equals, .text("high"))], actions: [try RuleAction(.raisePriority)])
        let plans = RuleEngine.evaluate([raise, escalate, other], trigger: .caseCreated, facts: Self.facts())
        #expect(plans.map(\.ruleName) == ["VPN is high", "High VPN to L2"])
        #expect(plans[0].patch.priority == .high && plans[0].patch.tags == ["vpn"])
        #expect(plans[1].escalateToTier == 2 && plans[1].patch.tier == 2 && plans[1].notifications == ["account_manager"])
        #expect(plans[1].reason == "Rule 'High VPN to L2' because priority is high and tags is vpn")
        #expect(plans[1].notes == ["Escalated by rule"])
        let urgent = RuleEngine.evaluate([other], trigger: .caseUpdated, facts: Self.facts(priority: .high))
        #expect(urgent.first?.patch.priority == .urgent)
    }

    @Test("any-of conditions: at least one must hold, and the explanation names those that did")
    func anyOf() throws {
        let rule = try AutomationRule(id: UUID(), name: "Hot", trigger: .time, conditions: [],
                                      anyConditions: [try RuleCondition(.slaPercentUsed, .atLeast, .number(90)),
                                                      try RuleCondition(.hoursSinceCustomerReply, .greaterThan, .number(48))],
                                      actions: [try RuleAction(.escalate)])
        #expect(rule.matches(Self.facts(percent: 95)))
        #expect(rule.matches(Self.facts(percent: 10, hours: 72)))
        #expect(!rule.matches(Self.facts(percent: 10, hours: 2)))
        #expect(rule.reason(Self.facts(percent: 95)) == "Rule 'Hot' because sla_percent_used at least 90")
    }

    @Test("rules decode from and encode to the JSON admins write")
    func json() throws {
        let text = #"{"field":"sla_percent_used","operator":"at_least","value":75}"#
        let condition = try JSONDecoder().decode(RuleCondition.self, from: Data(text.utf8))
        #expect(condition == (try RuleCondition(.slaPercentUsed, .atLeast, .number(75))))
        let action = try JSONDecoder().decode(RuleAction.self, from: Data(#"{"type":"assign_group","value":"L2 network"}"#.utf8))
        #expect(action.kind == .assignGroup && action.value == "L2 network")
        #expect(throws: (any Error).self) { try JSONDecoder().decode(RuleCondition.self, from: Data(#"{"field":"mood","operator":"is","value":"x"}"#.utf8)) }
    }

    @Test("escalation stops at the highest tier that has a group, and the plan says why")
    func escalationCeiling() throws {
        let escalate = try AutomationRule(id: UUID(), name: "Up", trigger: .time, conditions: [try RuleCondition(.tier, .atLeast, .number(1))],
                                          actions: [try RuleAction(.escalate)])
        var facts = Self.facts(tier: 3)
        facts.highestTier = 3
        let held = RuleEngine.plan(escalate, facts: facts)
        #expect(held.escalateToTier == nil && held.patch.tier == nil)
        #expect(held.escalationHeld == "the case is at tier 3, the highest with a group")
        facts.highestTier = 4
        let moved = RuleEngine.plan(escalate, facts: facts)
        #expect(moved.escalateToTier == 4 && moved.escalationHeld == nil)
        let jump = try AutomationRule(id: UUID(), name: "To L5", trigger: .time, conditions: [try RuleCondition(.tier, .atLeast, .number(1))],
                                      actions: [try RuleAction(.setTier, "5")])
        #expect(RuleEngine.plan(jump, facts: facts).escalationHeld == "tier 5 has no group; the highest tier with one is 4")
    }
}
