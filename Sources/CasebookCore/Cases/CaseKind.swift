/// What sort of request a case is.
public enum CaseType: String, Sendable, Codable, CaseIterable {
    case incident
    case serviceRequest = "service_request"
}

/// How urgent a case is; ordered from least to most urgent.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case low, normal, high, urgent

    /// Position in urgency order, used for sorting (higher is more urgent).
    public var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// Who may see a message or a timeline entry.
public enum Visibility: String, Sendable, Codable, CaseIterable {
    case `public`
    case `internal`
}

/// Where a message came from.
public enum CaseChannel: String, Sendable, Codable, CaseIterable {
    case web, portal, api, email, phone, monitoring, system
    /// Someone at the desk in person, entered by the agent who met them.
    case walkIn = "walk_in"
}
