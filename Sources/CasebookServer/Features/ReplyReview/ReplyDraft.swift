import CasebookCore
import Foundation
import Vapor

/// Where a reply held for review stands.
enum ReplyDraftState: String, Codable, Sendable, CaseIterable {
    /// Waiting for a colleague fluent in its language.
    case waiting
    /// Approved (as written or edited) and sent to the customer.
    case sent
    /// Sent back to its author with a note; nothing reached the customer.
    case returned
    /// Taken back by its author before anyone reviewed it.
    case withdrawn
}

/// A file of a held reply, already in the content store.
struct ReplyDraftFile: Codable, Sendable, Equatable {
    var filename: String
    var contentType: String
    var size: Int
    var sha256: String

    enum CodingKeys: String, CodingKey { case filename, size, sha256, contentType = "content_type" }
}

/// A public reply that waits for review before it reaches the customer, as the API and pages show it.
struct ReplyDraft: Content, Sendable {
    var id: UUID
    var caseID: UUID
    var reference: String
    var subject: String
    var authorID: UUID
    var authorName: String
    var language: String
    var reason: ReplyReview.Reason
    var text: String
    var html: String?
    /// The status the author asked the reply to set, applied when it is sent.
    var status: CaseStatus?
    var minutes: Int?
    var attachments: [ReplyDraftFile]
    var state: ReplyDraftState
    var createdAt: Date
    var decidedByName: String? = nil
    var decidedAt: Date? = nil
    /// The reviewer's note when returned, or what they said when approving an edit.
    var note: String? = nil
    /// The message it became once sent.
    var messageID: UUID? = nil

    enum CodingKeys: String, CodingKey {
        case id, reference, subject, language, reason, text, html, status, minutes, attachments, state, note
        case caseID = "case_id", authorID = "author_id", authorName = "author_name", createdAt = "created_at"
        case decidedByName = "decided_by_name", decidedAt = "decided_at", messageID = "message_id"
    }
}

/// What `POST /cases/{reference}/messages` answers: the message sent (201), or the reply held for review (202).
enum ReplyAnswer: Content {
    case sent(MessageView)
    case held(ReplyDraft)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case let .sent(message): try message.encode(to: encoder)
        case let .held(draft): try draft.encode(to: encoder)
        }
    }

    init(from decoder: any Decoder) throws {
        if let draft = try? ReplyDraft(from: decoder) { self = .held(draft) } else { self = .sent(try MessageView(from: decoder)) }
    }
}
