import CasebookCore
import Foundation
import SQLKit
import Vapor

/// A held reply as the case page and the review queue show it, with the forms the viewer may use.
struct HeldReplyCard: Encodable {
    var id: String
    var reference: String
    var subject: String
    var author: String
    var at: String
    var atISO: String
    var language: String
    var text: String
    var files: String?
    var state: String
    /// "Waiting for a colleague who writes Spanish", "Returned by Ana: …", "Sent after review by Ana".
    var standing: String
    var note: String?
    /// Said when a rule, not the language, holds the reply.
    var byRule: String?
    var canReview: Bool
    var canWithdraw: Bool
    /// Its author may take a returned reply back into the composer, change it and send it again.
    var canRedraft: Bool
    /// Why the viewer cannot review it ("You do not list Spanish…"), for a waiting reply they cannot settle.
    var cannotReview: String?
    /// What the viewer typed before a refused approval, shown again instead of the author's words.
    var typed: String?
    var error: String?

    /// Cards for these drafts as `viewer` sees them; `refused` carries a refused form back (draft id, typed text, message).
    static func cards(_ drafts: [ReplyDraft], viewer: CurrentActor, t: [String: String], refused: Refused? = nil,
                      on sql: any SQLDatabase) async throws -> [HeldReplyCard] {
        let languages = try await UserRepository.languages(of: viewer.user.id, on: sql)
        let fluent = languages.map { ReplyReview.fluent(listed: $0.writes, profileLanguage: $0.profile) } ?? []
        let mayReview = AccessPolicy.decide(.reviewReplies, for: viewer.actor) == .allowed
        return drafts.map { draft in
            let language = t["language_" + draft.language] ?? draft.language
            let isAuthor = draft.authorID == viewer.user.id
            let waiting = draft.state == .waiting
            let reviewer = draft.decidedByName ?? "—"
            let standing: String = switch draft.state {
            case .waiting: PlaceholderTemplate.render(t["review_waiting"] ?? "Waiting for a colleague who writes {{language}}", values: ["language": language])
            case .sent: PlaceholderTemplate.render(t["review_sent"] ?? "Sent after review by {{name}}", values: ["name": reviewer])
            case .returned: PlaceholderTemplate.render(t["review_returned"] ?? "Returned by {{name}}", values: ["name": reviewer])
            case .withdrawn: t["review_withdrawn"] ?? "Withdrawn by its author"
            }
            var cannotReview: String?
            if waiting, !isAuthor, mayReview, !fluent.contains(draft.language) {
                cannotReview = PlaceholderTemplate.render(t["review_not_fluent"] ?? "You do not list {{language}} among the languages you write well (Account → Languages).",
                                                          values: ["language": language])
            }
            let mine = refused?.id == draft.id
            return HeldReplyCard(
                id: draft.id.uuidString.lowercased(), reference: draft.reference, subject: draft.subject, author: draft.authorName,
                at: PageFormat.time(draft.createdAt), atISO: PageFormat.iso(draft.createdAt), language: language, text: draft.text,
                files: draft.attachments.isEmpty ? nil : draft.attachments.map(\.filename).joined(separator: ", "),
                state: draft.state.rawValue, standing: standing, note: draft.note,
                byRule: draft.reason == .rule ? (t["review_by_rule"] ?? "An automation rule asks that every reply on this case is reviewed.") : nil,
                canReview: waiting && !isAuthor && mayReview && fluent.contains(draft.language),
                canWithdraw: waiting && (isAuthor || viewer.actor.role == .admin), canRedraft: draft.state == .returned && isAuthor,
                cannotReview: cannotReview,
                typed: mine ? refused?.typed : nil, error: mine ? refused?.message : nil)
        }
    }

    /// A refused review form, carried to the page shown again.
    struct Refused: Codable {
        var id: UUID
        var typed: String?
        var message: String
    }
}
