/// What an agent can be told about, each with its own in-app and email preference.
public enum NotificationKind: String, Sendable, CaseIterable, Codable {
    /// A case was assigned to you (by a person or a rule).
    case assigned
    /// The customer wrote on a case you own or follow.
    case customerReplied = "customer_replied"
    /// Someone named you with @ in an internal note.
    case mentioned
    /// Another agent replied, added a note, solved or reopened a case you own or follow.
    case activity
    /// A case you own or follow reached its service level's warning share.
    case slaWarning = "sla_warning"
    /// A case you own or follow ran over its service level.
    case slaBreach = "sla_breach"
    /// A colleague's reply in a language you write well waits for your review.
    case reviewRequested = "review_requested"

    /// Whether mail is sent when the agent has not chosen: what needs them goes by mail, the rest stays in the list.
    public var emailsByDefault: Bool {
        switch self {
        case .assigned, .customerReplied, .mentioned, .slaBreach: true
        case .activity, .slaWarning, .reviewRequested: false
        }
    }

    /// Which of two notices about one event a person keeps: the one that concerns them most.
    public var weight: Int {
        switch self {
        case .mentioned: 6
        case .assigned: 5
        case .slaBreach: 4
        case .slaWarning: 3
        case .customerReplied, .reviewRequested: 2
        case .activity: 1
        }
    }
}

/// One agent's choice for one kind of notice.
public struct NotificationPreference: Sendable, Equatable, Codable {
    public var kind: NotificationKind
    public var inApp: Bool
    public var email: Bool

    public init(kind: NotificationKind, inApp: Bool, email: Bool) {
        self.kind = kind
        self.inApp = inApp
        self.email = email
    }

    /// The choice an agent has before changing anything.
    public static func standard(_ kind: NotificationKind) -> NotificationPreference {
        NotificationPreference(kind: kind, inApp: true, email: kind.emailsByDefault)
    }

    enum CodingKeys: String, CodingKey {
        case kind, email
        case inApp = "in_app"
    }
}
