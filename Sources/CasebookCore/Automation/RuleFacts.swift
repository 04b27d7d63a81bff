import Foundation

/// A case as rule conditions see it: its fields plus its clocks and recent activity.
public struct RuleFacts: Sendable, Equatable {
    public var state: CaseState
    public var channel: String
    public var slaPercentUsed: Int?
    public var slaState: SLAState?
    public var hoursSinceCustomerReply: Double?
    public var hoursSinceAgentReply: Double?
    public var hoursSinceUpdate: Double?
    public var contractLevel: String?
    public var tone: String?
    /// The highest tier that has a group to take cases; escalation stops there (nil: no limit below tier 9).
    public var highestTier: Int?

    public init(state: CaseState, channel: String, slaPercentUsed: Int? = nil, slaState: SLAState? = nil,
                hoursSinceCustomerReply: Double? = nil, hoursSinceAgentReply: Double? = nil, hoursSinceUpdate: Double? = nil,
                contractLevel: String? = nil, tone: String? = nil) {
        self.state = state
        self.channel = channel
        self.slaPercentUsed = slaPercentUsed
        self.slaState = slaState
        self.hoursSinceCustomerReply = hoursSinceCustomerReply
        self.hoursSinceAgentReply = hoursSinceAgentReply
        self.hoursSinceUpdate = hoursSinceUpdate
        self.contractLevel = contractLevel
        self.tone = tone
    }

    /// The fact a condition on `field` compares with; nil when the case has none.
    public func value(of field: RuleField) -> RuleValue? {
        switch field {
        case .status: .text(state.status.rawValue)
        case .priority: .text(state.priority.rawValue)
        case .type: .text(state.type.rawValue)
        case .channel: .text(channel)
        case .tier: .number(Double(state.tier))
        case .tags: .list(state.tags)
        case .subject: .text(state.subject)
        case .tone: tone.map(RuleValue.text)
        case .organisationID: state.organisationID.map { .text($0.description) }
        case .productID: state.productID.map { .text($0.description) }
        case .categoryID: state.categoryID.map { .text($0.description) }
        case .assigneeID: state.assigneeID.map { .text($0.description) }
        case .groupID: state.groupID.map { .text($0.description) }
        case .reopenCount: .number(Double(state.reopenCount))
        case .slaPercentUsed: slaPercentUsed.map { .number(Double($0)) }
        case .slaState: slaState.map { .text($0.rawValue) }
        case .hoursSinceCustomerReply: hoursSinceCustomerReply.map(RuleValue.number)
        case .hoursSinceAgentReply: hoursSinceAgentReply.map(RuleValue.number)
        case .hoursSinceUpdate: hoursSinceUpdate.map(RuleValue.number)
        case .contractLevel: contractLevel.map(RuleValue.text)
        }
    }
}
