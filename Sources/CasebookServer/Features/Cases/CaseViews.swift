import CasebookCore
import SQLKit
import Vapor

/// A case as the API shows it; staff-only fields are left out for customers.
struct CaseView: Content, Equatable {
    var id: UUID
    var reference: String
    var number: Int
    var type: CaseType
    var subject: String
    var status: CaseStatus
    var priority: Priority
    var requesterID: UUID
    var organisationID: UUID?
    var productID: UUID?
    var productVersionID: UUID?
    var categoryID: UUID?
    var assigneeID: UUID?
    var groupID: UUID?
    var tier: Int?
    var tags: [String]?
    var customFields: [String: FieldValue]?
    var reopenCount: Int?
    var channel: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var firstResponseAt: Date?
    var solvedAt: Date?
    var closedAt: Date?
    /// Staff only: the tone of the customer's latest message.
    var tone: String?

    enum CodingKeys: String, CodingKey {
        case id, reference, number, type, subject, status, priority, tier, tags, channel, version, tone
        case requesterID = "requester_id"
        case organisationID = "organisation_id"
        case productID = "product_id"
        case productVersionID = "product_version_id"
        case categoryID = "category_id"
        case assigneeID = "assignee_id"
        case groupID = "group_id"
        case customFields = "custom_fields"
        case reopenCount = "reopen_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case firstResponseAt = "first_response_at"
        case solvedAt = "solved_at"
        case closedAt = "closed_at"
    }

    init(_ model: CaseRecord, prefix: String, forStaff: Bool) {
        id = model.id
        reference = Reference(prefix: prefix, number: model.number).description
        number = model.number
        type = model.type
        subject = model.subject
        status = model.status
        priority = model.priority
        requesterID = model.requesterID
        organisationID = model.organisationID
        productID = model.productID
        productVersionID = model.productVersionID
        categoryID = model.categoryID
        assigneeID = model.assigneeID
        channel = model.channel
        version = model.version
        createdAt = model.createdAt
        updatedAt = model.updatedAt
        firstResponseAt = model.firstResponseAt
        solvedAt = model.solvedAt
        closedAt = model.closedAt
        if forStaff {
            groupID = model.groupID
            tier = model.tier
            tags = CaseCodec.tags(model.tags)
            customFields = CaseCodec.customFields(model.customFields)
            reopenCount = model.reopenCount
            tone = model.tone
        }
    }
}

/// A page of cases and the cursor for the next page.
struct CaseListView: Content {
    var items: [CaseView]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

/// A reply or note with its attachments.
struct MessageView: Content, Equatable {
    var id: UUID
    var authorID: UUID?
    var visibility: String
    var channel: String
    var text: String
    var html: String?
    var createdAt: Date
    var attachments: [AttachmentView]
    /// Shown to the agent who just posted, never blocking: e.g. this update repeats the previous one.
    var warnings: [RepeatedUpdateCheck.Warning]?
    /// Staff only: the customer's tone in this message and the words that decided it.
    var tone: String?
    var toneEvidence: [ToneEvidence]?

    enum CodingKeys: String, CodingKey {
        case id, visibility, channel, text, html, attachments, warnings, tone
        case toneEvidence = "tone_evidence"
        case authorID = "author_id"
        case createdAt = "created_at"
    }

    init(_ model: MessageRecord, attachments: [AttachmentView]) {
        id = model.id
        authorID = model.authorID
        visibility = model.visibility
        channel = model.channel
        text = model.text
        html = model.html
        createdAt = model.createdAt
        self.attachments = attachments
    }
}

/// An attachment's facts; the bytes are at `GET /cases/{reference}/attachments/{id}`.
struct AttachmentView: Content, Equatable {
    var id: UUID
    var filename: String
    var contentType: String
    var size: Int
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case id, filename, size, sha256
        case contentType = "content_type"
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        filename = try row.decode(column: "filename", as: String.self)
        contentType = try row.decode(column: "content_type", as: String.self)
        size = try row.decode(column: "size", as: Int.self)
        sha256 = try row.decode(column: "sha256", as: String.self)
    }

    /// The attachments of a case (or of one message), with the message each belongs to.
}

/// One entry of the case history.
struct TimelineEntryView: Content {
    var position: Int
    var kind: String
    var actorID: UUID?
    var field: String?
    var oldValue: String?
    var newValue: String?
    var messageID: UUID?
    var visibility: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case position, kind, field, visibility
        case actorID = "actor_id"
        case oldValue = "old_value"
        case newValue = "new_value"
        case messageID = "message_id"
        case createdAt = "created_at"
    }

    init(row: any SQLRow) throws {
        position = try row.decode(column: "position", as: Int.self)
        kind = try row.decode(column: "kind", as: String.self)
        actorID = try row.decode(column: "actor_id", as: UUID?.self)
        field = try row.decode(column: "field", as: String?.self)
        oldValue = try row.decode(column: "old_value", as: String?.self)
        newValue = try row.decode(column: "new_value", as: String?.self)
        messageID = try row.decode(column: "message_id", as: UUID?.self)
        visibility = try row.decode(column: "visibility", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
    }
}

/// Reads and writes the JSON text columns of a case row.
enum CaseCodec {
    static func tags(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func customFields(_ text: String) -> [String: FieldValue] {
        (try? JSONDecoder().decode([String: FieldValue].self, from: Data(text.utf8))) ?? [:]
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }
}
