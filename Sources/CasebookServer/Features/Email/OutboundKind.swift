/// Why a mail was sent; the raw value is what `outbound_messages.kind` stores and the API shows.
enum OutboundKind: String, Sendable, CaseIterable, Codable {
    /// "We have your request", on a new case.
    case acknowledgement
    /// An agent's public reply.
    case reply
    /// A mail template sent by a rule.
    case template
    /// A note to staff (a rule's notify, an assignment).
    case notification
    /// A proactive notice to customers running an affected version.
    case notice
    /// An approved root-cause report sent to a customer.
    case rca
    /// A satisfaction survey.
    case survey
    /// The email settings page's test message.
    case test
    /// A link to choose a new password.
    case passwordReset = "password_reset"
}
