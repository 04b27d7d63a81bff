import CasebookCore
import Foundation

/// What a subscription sends: Casebook's own signed JSON, or a chat product's incoming-webhook message.
enum WebhookFormat: String, Sendable, Codable, CaseIterable {
    case json, slack, mattermost, teams

    /// The chat format, when this is one.
    var chat: ChatFormat? { ChatFormat(rawValue: rawValue) }
}

/// Where a delivery is in its life.
enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Queued, or waiting for its next attempt.
    case pending
    case delivered
    /// Every attempt failed; an admin may redeliver it.
    case failed
    /// Not sent because the subscription is paused; sent when it resumes.
    case held
}

/// One subscriber: a URL, the events it wants, and how deliveries to it are going.
struct WebhookSubscription: Sendable, Equatable {
    var id: UUID
    var name: String
    var url: String
    var format: WebhookFormat
    var events: [WebhookEvent]
    /// Only events about this group's cases (alerts have no group and always go).
    var groupID: UUID?
    /// The language chat messages are written in.
    var language: String
    var secret: String
    /// An admin allowed loopback, private and link-local targets for this subscription.
    var allowPrivate: Bool
    var active: Bool
    /// Failed attempts in a row after which the subscription pauses itself.
    var pauseAfter: Int
    var consecutiveFailures: Int
    var pausedAt: Date?
    var pauseReason: String?
    var createdAt: Date
    var updatedAt: Date

    /// Whether new events are delivered now (paused subscriptions hold them).
    var isSending: Bool { active && pausedAt == nil }

    /// Whether `event` about a case in `groupID` is for this subscriber.
    func wants(_ event: WebhookEvent, groupID caseGroup: UUID?) -> Bool {
        guard active, events.contains(event) else { return false }
        guard let groupID, event.isAboutACase else { return true }
        return caseGroup == groupID
    }

    /// A hint of the secret for lists: enough to tell two apart, not enough to sign with.
    var secretHint: String { String(secret.prefix(4)) + "…" }
}
