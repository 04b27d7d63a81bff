import CasebookCore
import Foundation
import Vapor

/// Body of creating and changing a subscription; on a change, only what is sent changes.
struct WebhookWrite: Decodable, Sendable {
    var name: String?
    var url: String?
    var format: WebhookFormat?
    var events: [String]?
    /// `.some(nil)`: every group again.
    var groupID: UUID??
    var language: String?
    var allowPrivate: Bool?
    var active: Bool?
    var pauseAfter: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, url, format, events, language, active
        case groupID = "group_id", allowPrivate = "allow_private", pauseAfter = "pause_after"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        if let text = try c.decodeIfPresent(String.self, forKey: .format) {
            guard let format = WebhookFormat(rawValue: text) else {
                throw DomainError.invalid("format", "must be one of \(WebhookFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.format = format
        }
        events = try c.decodeIfPresent([String].self, forKey: .events)
        if c.contains(.groupID) { groupID = .some(try c.decodeIfPresent(UUID.self, forKey: .groupID)) }
        language = try c.decodeIfPresent(String.self, forKey: .language)
        allowPrivate = try c.decodeIfPresent(Bool.self, forKey: .allowPrivate)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
        pauseAfter = try c.decodeIfPresent(Int.self, forKey: .pauseAfter)
    }

    /// `item` with this body's changes, each checked; the group's existence is checked by the caller.
    func applied(to item: WebhookSubscription) throws(DomainError) -> WebhookSubscription {
        var next = item
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw DomainError.invalid("name", "must not be empty") }
            guard trimmed.count <= 120 else { throw DomainError.invalid("name", "must be at most 120 characters") }
            next.name = trimmed
        }
        if let format { next.format = format }
        if let events {
            guard !events.isEmpty else { throw DomainError.invalid("events", "must name at least one event") }
            var chosen: [WebhookEvent] = []
            for name in events {
                guard let event = WebhookEvent(rawValue: name), event != .test else {
                    throw DomainError.invalid("events", "names '\(name)', which is not an event; known: "
                                              + WebhookEvent.subscribable.map(\.rawValue).joined(separator: ", "))
                }
                if !chosen.contains(event) { chosen.append(event) }
            }
            next.events = chosen
        }
        if let groupID { next.groupID = groupID }
        if let language {
            guard WebText.languages.contains(language) else {
                throw DomainError.invalid("language", "must be one of \(WebText.languages.joined(separator: ", "))")
            }
            next.language = language
        }
        if let allowPrivate { next.allowPrivate = allowPrivate }
        if let active { next.active = active }
        if let pauseAfter {
            guard (1...1000).contains(pauseAfter) else { throw DomainError.invalid("pause_after", "must be between 1 and 1000") }
            next.pauseAfter = pauseAfter
        }
        if let url { next.url = url.trimmingCharacters(in: .whitespaces) }
        // Checked whenever either changes: allowing private targets again must not pass an old private URL unnoticed.
        if url != nil || allowPrivate != nil { _ = try WebhookTarget(next.url, allowPrivate: next.allowPrivate) }
        return next
    }
}

/// A subscription as the API shows it; the secret itself only when it is made or rotated.
struct WebhookView: Content {
    var id: UUID
    var name: String
    var url: String
    var format: WebhookFormat
    var events: [WebhookEvent]
    var groupID: UUID?
    var language: String
    var allowPrivate: Bool
    var active: Bool
    var pauseAfter: Int
    var paused: Bool
    var pausedAt: Date?
    var pauseReason: String?
    var consecutiveFailures: Int
    var secretHint: String
    var secret: String?
    var deliveries: Counts
    var createdAt: Date
    var updatedAt: Date

    struct Counts: Content {
        var pending = 0
        var delivered = 0
        var failed = 0
        var held = 0
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, format, events, language, active, paused, secret, deliveries
        case groupID = "group_id", allowPrivate = "allow_private", pauseAfter = "pause_after", pausedAt = "paused_at"
        case pauseReason = "pause_reason", consecutiveFailures = "consecutive_failures", secretHint = "secret_hint"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ item: WebhookSubscription, counts: [WebhookDeliveryStatus: Int], revealing: Bool = false) {
        (id, name, url, format, events, groupID, language) = (item.id, item.name, item.url, item.format, item.events, item.groupID, item.language)
        (allowPrivate, active, pauseAfter, paused, pausedAt, pauseReason) =
            (item.allowPrivate, item.active, item.pauseAfter, item.pausedAt != nil, item.pausedAt, item.pauseReason)
        (consecutiveFailures, secretHint, secret, createdAt, updatedAt) =
            (item.consecutiveFailures, item.secretHint, revealing ? item.secret : nil, item.createdAt, item.updatedAt)
        deliveries = Counts(pending: counts[.pending] ?? 0, delivered: counts[.delivered] ?? 0, failed: counts[.failed] ?? 0, held: counts[.held] ?? 0)
    }
}

/// A delivery as the log shows it; one delivery's page adds the body and every attempt.
struct WebhookDeliveryView: Content {
    var id: UUID
    var webhookID: UUID
    var event: WebhookEvent
    var caseID: UUID?
    var caseReference: String?
    var status: WebhookDeliveryStatus
    var attempts: Int
    var responseCode: Int?
    var lastError: String?
    var createdAt: Date
    var lastAttemptAt: Date?
    var deliveredAt: Date?
    var body: String?
    var history: [Attempt]?

    struct Attempt: Content {
        var attempt: Int
        var at: Date
        var responseCode: Int?
        var responseExcerpt: String?
        var error: String?
        var durationMs: Int

        enum CodingKeys: String, CodingKey {
            case attempt, at, error
            case responseCode = "response_code", responseExcerpt = "response_excerpt", durationMs = "duration_ms"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, event, status, attempts, body, history
        case webhookID = "webhook_id", caseID = "case_id", caseReference = "case_reference", responseCode = "response_code", lastError = "last_error", createdAt = "created_at"
        case lastAttemptAt = "last_attempt_at", deliveredAt = "delivered_at"
    }

    init(_ item: WebhookDelivery, attempts history: [WebhookAttempt]? = nil) {
        (id, webhookID, event, caseID, status, attempts, responseCode, lastError) =
            (item.id, item.subscriptionID, item.event, item.caseID, item.status, item.attempts, item.responseCode, item.lastError)
        (caseReference, createdAt, lastAttemptAt, deliveredAt) = (item.caseReference, item.createdAt, item.lastAttemptAt, item.deliveredAt)
        body = history == nil ? nil : item.body
        self.history = history?.map {
            Attempt(attempt: $0.attempt, at: $0.at, responseCode: $0.responseCode, responseExcerpt: $0.responseExcerpt, error: $0.error,
                    durationMs: $0.durationMilliseconds)
        }
    }
}
