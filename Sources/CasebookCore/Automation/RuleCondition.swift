import Foundation

/// What a rule condition can look at.
public enum RuleField: String, Sendable, Codable, CaseIterable {
    case status, priority, type, channel, tier, tags, subject, tone
    case organisationID = "organisation_id", productID = "product_id", categoryID = "category_id"
    case assigneeID = "assignee_id", groupID = "group_id", reopenCount = "reopen_count"
    /// The highest share of any running SLA target used, in percent.
    case slaPercentUsed = "sla_percent_used"
    /// The case's worst SLA state (running, warning, breached, …).
    case slaState = "sla_state"
    case hoursSinceCustomerReply = "hours_since_customer_reply"
    case hoursSinceAgentReply = "hours_since_agent_reply"
    case hoursSinceUpdate = "hours_since_update"
    case contractLevel = "contract_level"
}

/// How a condition compares.
public enum RuleOperator: String, Sendable, Codable, CaseIterable {
    case equals = "is", notEquals = "is_not", oneOf = "one_of", noneOf = "none_of"
    case contains, notContains = "not_contains"
    case greaterThan = "greater_than", atLeast = "at_least", lessThan = "less_than"
    case isSet = "is_set", isNotSet = "is_not_set"

    var needsValue: Bool { self != .isSet && self != .isNotSet }
    var isNumeric: Bool { self == .greaterThan || self == .atLeast || self == .lessThan }
}

/// One test on a case: `priority is high`, `sla_percent_used at_least 75`.
public struct RuleCondition: Sendable, Equatable, Codable {
    public let field: RuleField
    public let op: RuleOperator
    public let value: RuleValue?
    /// Worked out once: every event evaluates every rule, so comparisons must not allocate.
    private let wanted: Set<String>
    private let needle: String
    /// `priority is high`, for explanations.
    public let description: String

    public init(_ field: RuleField, _ op: RuleOperator, _ value: RuleValue? = nil) throws(RuleError) {
        if op.needsValue && value == nil { throw RuleError.invalid("condition on \(field.rawValue)", "needs a value for '\(op.rawValue)'") }
        if op.isNumeric, case .number = value {} else if op.isNumeric {
            throw RuleError.invalid("condition on \(field.rawValue)", "compares with '\(op.rawValue)', which needs a number")
        }
        if case let .number(number)? = value, !number.isFinite || abs(number) > RuleValue.largestNumber {
            throw RuleError.invalid("condition on \(field.rawValue)", "needs a number between -10^15 and 10^15")
        }
        self.field = field
        self.op = op
        self.value = value
        wanted = Set((value?.texts ?? []).map { $0.lowercased() })
        needle = (value?.description ?? "").lowercased()
        description = "\(field.rawValue) \(op.rawValue.replacingOccurrences(of: "_", with: " "))" + (value.map { " \($0.description)" } ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(field, forKey: .field)
        try c.encode(op, forKey: .op)
        try c.encodeIfPresent(value, forKey: .value)
    }

    public static func == (lhs: RuleCondition, rhs: RuleCondition) -> Bool {
        lhs.field == rhs.field && lhs.op == rhs.op && lhs.value == rhs.value
    }

    enum CodingKeys: String, CodingKey { case field, op = "operator", value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(try c.decode(RuleField.self, forKey: .field), try c.decode(RuleOperator.self, forKey: .op),
                          try c.decodeIfPresent(RuleValue.self, forKey: .value))
        } catch let error as RuleError {
            throw RuleFieldError(path: RuleFieldError.render(decoder.codingPath + [CodingKeys.value]), error: error)
        }
    }

    /// Whether the case's fact satisfies this condition.
    public func holds(for fact: RuleValue?) -> Bool {
        switch op {
        case .isSet: return fact != nil && fact != .list([]) && fact != .text("")
        case .isNotSet: return fact == nil || fact == .list([]) || fact == .text("")
        case .greaterThan, .atLeast, .lessThan:
            guard case let .number(have)? = fact, case let .number(want)? = value else { return false }
            return op == .greaterThan ? have > want : op == .atLeast ? have >= want : have < want
        case .equals, .notEquals, .oneOf, .noneOf:
            let hit: Bool
            switch fact {
            case let .text(text)?: hit = wanted.contains(text.lowercased())
            case let .list(list)?: hit = list.contains { wanted.contains($0.lowercased()) }
            case let .number(number)?: hit = wanted.contains(RuleValue.number(number).description)
            case nil: hit = false
            }
            return op == .equals || op == .oneOf ? hit : !hit
        case .contains, .notContains:
            let hit: Bool
            switch fact {
            case let .text(text)?: hit = text.range(of: needle, options: .caseInsensitive) != nil
            case let .list(list)?: hit = list.contains { $0.range(of: needle, options: .caseInsensitive) != nil }
            case let .number(number)?: hit = RuleValue.number(number).description.contains(needle)
            case nil: hit = false
            }
            return op == .contains ? hit : !hit
        }
    }

}

/// A rule definition that breaks a rule.
public enum RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case let .invalid(what, why): "The \(what) \(why)."
        }
    }
}

/// A rule error found while reading a rule, with where in the request it was: `conditions[0].value`.
public struct RuleFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let error: RuleError

    public var description: String { error.description }

    static func render(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
    }
}
