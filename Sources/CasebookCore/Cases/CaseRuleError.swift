/// A business rule a requested change would break; the web layer maps these to 4xx answers.
public enum CaseRuleError: Error, Equatable, Sendable {
    case invalidTransition(from: CaseStatus, to: CaseStatus)
    case invalidField(name: String, reason: String)
    case missingField(name: String)
    case unknownField(name: String)

    /// A sentence for people, naming the field or the move.
    public var message: String {
        switch self {
        case let .invalidTransition(from, to):
            "A case cannot move from \(from.rawValue) to \(to.rawValue); allowed: \(from.allowedNext.map(\.rawValue).sorted().joined(separator: ", "))."
        case let .invalidField(name, reason): "Field '\(name)' \(reason)."
        case let .missingField(name): "Field '\(name)' is required."
        case let .unknownField(name): "Field '\(name)' is not defined."
        }
    }
}
