/// Where a case stands in its life; the allowed moves between them are `CaseStatus.allowedNext`.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case new
    case open
    case pendingCustomer = "pending_customer"
    case pendingVendor = "pending_vendor"
    case solved
    case closed

    /// Statuses this one may move to. Closed is final: a follow-up opens a new case.
    public var allowedNext: Set<CaseStatus> {
        switch self {
        case .new: [.open, .pendingCustomer, .pendingVendor, .solved]
        case .open: [.pendingCustomer, .pendingVendor, .solved]
        case .pendingCustomer: [.open, .pendingVendor, .solved]
        case .pendingVendor: [.open, .pendingCustomer, .solved]
        case .solved: [.open, .closed]
        case .closed: []
        }
    }

    /// Whether the case still needs work from the support team or a third party.
    public var isActive: Bool { self != .solved && self != .closed }

    /// Whether the service-level clock is paused because someone outside the team holds the ball.
    public var isWaiting: Bool { self == .pendingCustomer || self == .pendingVendor }

    /// The status in words, as sentences use it ("pending customer").
    public var words: String {
        switch self {
        case .pendingCustomer: "pending customer"
        case .pendingVendor: "pending vendor"
        default: rawValue
        }
    }

    /// Checks a move and says whether it reopens the case.
    public func transition(to next: CaseStatus) throws(CaseRuleError) -> StatusTransition {
        guard next != self else { return StatusTransition(from: self, to: next, isReopen: false) }
        guard allowedNext.contains(next) else { throw .invalidTransition(from: self, to: next) }
        return StatusTransition(from: self, to: next, isReopen: self == .solved && next.isActive)
    }
}

/// The outcome of an allowed status move.
public struct StatusTransition: Sendable, Equatable {
    public let from: CaseStatus
    public let to: CaseStatus
    public let isReopen: Bool
}
