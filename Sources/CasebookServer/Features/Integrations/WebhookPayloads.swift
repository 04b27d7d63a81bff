import CasebookCore
import Foundation
import Vapor

/// The JSON body of a `json` subscription's delivery; the OpenAPI document's `webhooks` section describes each event's `data`.
struct WebhookEnvelope<Payload: Encodable & Sendable>: Encodable, Sendable {
    /// The event's id: the same for every subscriber, so a receiver can drop duplicates.
    let id: UUID
    let event: WebhookEvent
    let occurredAt: Date
    let data: Payload

    enum CodingKeys: String, CodingKey {
        case id, event, data
        case occurredAt = "occurred_at"
    }

    /// The bytes sent: sorted keys and ISO 8601 times, so a redelivery sends the same body.
    func encoded() throws -> String {
        String(decoding: try ContentConfiguration.jsonEncoder.encode(self), as: UTF8.self)
    }
}

/// A case as events describe it.
struct WebhookCase: Codable, Sendable, Equatable {
    var id: UUID
    var reference: String
    var subject: String
    var status: CaseStatus
    var priority: Priority
    var type: CaseType
    var channel: String
    /// Goes up with every change: deliveries may arrive out of order, and a receiver keeps the highest.
    var version: Int
    var requesterID: UUID
    var organisationID: UUID?
    var assigneeID: UUID?
    var groupID: UUID?
    var createdAt: Date
    var updatedAt: Date
    /// The case in the agent desk.
    var url: String

    enum CodingKeys: String, CodingKey {
        case id, reference, subject, status, priority, type, channel, url, version
        case requesterID = "requester_id", organisationID = "organisation_id", assigneeID = "assignee_id", groupID = "group_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ record: CaseRecord, prefix: String, baseURL: String) {
        let reference = Reference(prefix: prefix, number: record.number).description
        (id, self.reference, subject, status, priority, type, channel, version) =
            (record.id, reference, record.subject, record.status, record.priority, record.type, record.channel, record.version)
        (requesterID, organisationID, assigneeID, groupID, createdAt, updatedAt) =
            (record.requesterID, record.organisationID, record.assigneeID, record.groupID, record.createdAt, record.updatedAt)
        url = baseURL + "/desk/cases/" + reference
    }
}

/// One field's change, in `case.updated`, `case.solved` and `case.reopened`.
struct WebhookChange: Codable, Sendable, Equatable {
    var field: String
    var old: String?
    var new: String?
}

/// The data of every case event: the case after the change, and what the event adds.
struct WebhookCaseData: Encodable, Sendable {
    var `case`: WebhookCase
    var changes: [WebhookChange]?
    var message: Message?
    var serviceLevel: ServiceLevel?
    var survey: Survey?

    enum CodingKeys: String, CodingKey {
        case `case`, changes, message, survey
        case serviceLevel = "service_level"
    }

    /// The public reply of `case.replied`.
    struct Message: Encodable, Sendable {
        var id: UUID
        var authorID: UUID
        /// customer or staff.
        var from: String
        var channel: String
        var text: String

        enum CodingKeys: String, CodingKey {
            case id, from, channel, text
            case authorID = "author_id"
        }
    }

    /// The target of `sla.warning` and `sla.breach`.
    struct ServiceLevel: Encodable, Sendable {
        /// first_response, next_update or resolution.
        var metric: String
        var dueAt: Date?
        var explanation: String

        enum CodingKeys: String, CodingKey {
            case metric, explanation
            case dueAt = "due_at"
        }
    }

    /// The answer of `survey.answered`.
    struct Survey: Encodable, Sendable {
        var rating: Int
        var comment: String?
    }
}

/// The data of `webhook.test`.
struct WebhookTestData: Encodable, Sendable {
    var webhookID: UUID
    var name: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case name, message
        case webhookID = "webhook_id"
    }
}

/// The data of `alert.opened` and `alert.resolved`.
struct WebhookAlertData: Encodable, Sendable {
    var source: String
    var name: String
    var fingerprint: String
    var summary: String
    var priority: String
    var caseReference: String?

    enum CodingKeys: String, CodingKey {
        case source, name, fingerprint, summary, priority
        case caseReference = "case_reference"
    }
}
