import Fluent
import Foundation

/// A public reply or an internal note on a case.
final class MessageModel: Model, @unchecked Sendable {
    static let schema = "messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "visibility") var visibility: String
    @Field(key: "channel") var channel: String
    @Field(key: "text") var text: String
    @OptionalField(key: "html") var html: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "tone") var tone: String?
    @OptionalField(key: "tone_evidence") var toneEvidence: String?

    init() {}

    init(id: UUID? = nil, caseID: UUID, authorID: UUID?, visibility: String, channel: String, text: String, html: String?, createdAt: Date) {
        self.id = id
        self.caseID = caseID
        self.authorID = authorID
        self.visibility = visibility
        self.channel = channel
        self.text = text
        self.html = html
        self.createdAt = createdAt
    }
}

/// A file attached to a message; the bytes live in the content-addressed store under `sha256`.
final class AttachmentModel: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, messageID: UUID, caseID: UUID, filename: String, contentType: String, size: Int, sha256: String, createdAt: Date) {
        self.id = id
        self.messageID = messageID
        self.caseID = caseID
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}
