/// What a rule can do to a case.
public enum RuleActionKind: String, Sendable, Codable, CaseIterable {
    case setPriority = "set_priority", raisePriority = "raise_priority", setStatus = "set_status"
    case assignGroup = "assign_group", assignPerson = "assign_person", setTier = "set_tier", escalate
    case addTag = "add_tag", removeTag = "remove_tag", addInternalNote = "add_internal_note"
    case sendTemplate = "send_template", notify
    /// Every later public reply on the case waits for a colleague's review, whoever writes it.
    case reviewReplies = "review_replies"

    var needsValue: Bool { self != .raisePriority && self != .escalate && self != .reviewReplies }
}

/// One action with its argument (`set_priority urgent`, `notify account_manager`).
public struct RuleAction: Sendable, Equatable, Codable {
    public let kind: RuleActionKind
    public let value: String?

    public init(_ kind: RuleActionKind, _ value: String? = nil) throws(RuleError) {
        if kind.needsValue && (value ?? "").isEmpty { throw RuleError.invalid("action \(kind.rawValue)", "needs a value") }
        switch kind {
        case .setPriority where Priority(rawValue: value ?? "") == nil:
            throw RuleError.invalid("action set_priority", "needs one of \(Priority.allCases.map(\.rawValue).joined(separator: ", "))")
        case .setStatus where CaseStatus(rawValue: value ?? "") == nil:
            throw RuleError.invalid("action set_status", "needs one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        case .setTier where !(1...9).contains(Int(value ?? "") ?? 0):
            throw RuleError.invalid("action set_tier", "needs a tier from 1 to 9")
        case .notify where !RuleRecipient.isValid(value ?? ""):
            throw RuleError.invalid("action notify", "needs assignee, account_manager, on_call, group or an email address")
        default:
            break
        }
        self.kind = kind
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case kind = "type", value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(try c.decode(RuleActionKind.self, forKey: .kind), try c.decodeIfPresent(String.self, forKey: .value))
    }
}

/// Who a `notify` action reaches.
public enum RuleRecipient {
    public static let roles = ["assignee", "account_manager", "on_call", "group"]

    static func isValid(_ value: String) -> Bool {
        roles.contains(value) || (value.contains("@") && !value.contains(" "))
    }
}
