/// What happened, as a subscriber chooses it and as the `event` field of a webhook payload names it.
public enum WebhookEvent: String, Sendable, Codable, CaseIterable {
    case caseCreated = "case.created"
    /// Any change to a case's fields (status, priority, owner, group, tags, custom fields…).
    case caseUpdated = "case.updated"
    /// A public reply, from the customer or from staff (internal notes are never sent out).
    case caseReplied = "case.replied"
    case caseSolved = "case.solved"
    /// A solved or closed case became active again (a customer's reply, or staff).
    case caseReopened = "case.reopened"
    case slaWarning = "sla.warning"
    case slaBreach = "sla.breach"
    case alertOpened = "alert.opened"
    case alertResolved = "alert.resolved"
    case surveyAnswered = "survey.answered"
    /// Sent only by an admin's "Send a test event", to check a receiver or a chat channel; not subscribed to.
    case test = "webhook.test"

    /// The events a subscription may ask for.
    public static var subscribable: [WebhookEvent] { allCases.filter { $0 != .test } }

    /// Whether the event is about one case (and so can be limited to a group's cases).
    public var isAboutACase: Bool {
        switch self {
        case .alertOpened, .alertResolved, .test: false
        default: true
        }
    }
}
