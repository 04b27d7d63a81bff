import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Settles a held reply: a fluent colleague approves it (as written or edited) and it is sent as its author's
/// reply, or returns it with a note; its author may withdraw it while it waits. The service-level clocks count the
/// reply when it is sent, because until then the customer has heard nothing.
struct ReviewReply {
    let services: CasebookServices

    /// Sends the reply, with the reviewer's words when they edited it; answers the message the customer receives.
    func approve(_ id: UUID, text edited: String?, note: String?, by reviewer: CurrentActor, on db: any Database) async throws -> ReplyDraft {
        let sql = services.store.sql(db)
        let draft = try await waiting(id, on: sql)
        try await checkReviewer(reviewer, for: draft, on: sql)
        let note = try note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : try Validate.name($0, field: "note", max: 2_000, multiline: true) }
        let text = try edited.map(AddMessage.checkedText)
        let changed = text.map { $0 != draft.text } ?? false
        var input = MessageCreateRequest(text: changed ? text ?? draft.text : draft.text)
        input.html = changed ? nil : draft.html
        input.visibility = .public
        input.status = draft.status
        input.minutes = draft.minutes
        var uploads: [AttachmentUpload] = []
        for file in draft.attachments {
            guard let bytes = try await services.blobs.get(file.sha256) else {
                throw DomainError.conflict("The file \(file.filename) of this reply is no longer stored; return it to its author.")
            }
            var upload = AttachmentUpload(filename: file.filename, contentType: file.contentType, data: "")
            upload.bytes = bytes
            upload.digest = file.sha256
            uploads.append(upload)
        }
        input.attachments = uploads
        // The reply goes out as its author's; one who has left since is replaced by the reviewer.
        let author = try await ActorRepository.activePerson(draft.authorID, on: sql)?.actor ?? reviewer
        let reference = draft.reference
        let message = try await AddMessage(services: services).run(reference: reference, input: input, by: author, on: db)
        let now = services.clock()
        guard try await ReplyReviewRepository.settle(id, as: .sent, by: reviewer.user.id, note: note, text: changed ? input.text : nil,
                                                     messageID: message.id, at: now, on: sql) else {
            throw DomainError.conflict("This reply was settled by someone else meanwhile.")
        }
        try await record(changed ? "edited" : ReplyDraftState.sent.rawValue, note: note, caseID: draft.caseID, by: reviewer, at: now, on: sql)
        return try await ReplyReviewRepository.find(id, prefix: services.configuration.referencePrefix, on: sql) ?? draft
    }

    /// Sends the reply back to its author with a note saying what to change; the customer receives nothing.
    func giveBack(_ id: UUID, note: String, by reviewer: CurrentActor, on db: any Database) async throws -> ReplyDraft {
        let sql = services.store.sql(db)
        let draft = try await waiting(id, on: sql)
        try await checkReviewer(reviewer, for: draft, on: sql)
        let note = try Validate.name(note, field: "note", max: 2_000, multiline: true)
        return try await settle(draft, as: .returned, note: note, by: reviewer, on: sql)
    }

    /// The author takes their reply back before anyone reviewed it.
    func withdraw(_ id: UUID, by author: CurrentActor, on db: any Database) async throws -> ReplyDraft {
        let sql = services.store.sql(db)
        let draft = try await waiting(id, on: sql)
        guard draft.authorID == author.user.id || author.actor.role == .admin else {
            throw DomainError.forbidden("Only the reply's author or an admin can withdraw it.")
        }
        return try await settle(draft, as: .withdrawn, note: nil, by: author, on: sql)
    }

    private func settle(_ draft: ReplyDraft, as state: ReplyDraftState, note: String?, by actor: CurrentActor, on sql: any SQLDatabase) async throws -> ReplyDraft {
        let now = services.clock()
        guard try await ReplyReviewRepository.settle(draft.id, as: state, by: actor.user.id, note: note, text: nil, messageID: nil, at: now, on: sql) else {
            throw DomainError.conflict("This reply was settled by someone else meanwhile.")
        }
        try await record(state.rawValue, note: note, caseID: draft.caseID, by: actor, at: now, on: sql)
        return try await ReplyReviewRepository.find(draft.id, prefix: services.configuration.referencePrefix, on: sql) ?? draft
    }

    private func waiting(_ id: UUID, on sql: any SQLDatabase) async throws -> ReplyDraft {
        guard let draft = try await ReplyReviewRepository.find(id, prefix: services.configuration.referencePrefix, on: sql) else {
            throw DomainError.notFound("The held reply")
        }
        guard draft.state == .waiting else { throw DomainError.conflict("This reply is already \(draft.state.rawValue).") }
        return draft
    }

    /// A reviewer is a colleague who writes the reply's language well, and not its author.
    private func checkReviewer(_ reviewer: CurrentActor, for draft: ReplyDraft, on sql: any SQLDatabase) async throws {
        guard AccessPolicy.decide(.reviewReplies, for: reviewer.actor) == .allowed else { throw DomainError.forbidden("You may not review replies.") }
        guard reviewer.user.id != draft.authorID else { throw DomainError.forbidden("A reply is reviewed by someone other than its author.") }
        let languages = try await UserRepository.languages(of: reviewer.user.id, on: sql)
        let fluent = languages.map { ReplyReview.fluent(listed: $0.writes, profileLanguage: $0.profile) } ?? []
        guard fluent.contains(draft.language) else {
            throw DomainError.forbidden("This reply is in \(draft.language); add it to the languages you write well to review it.")
        }
    }

    /// The timeline's entry: how the reply was settled (sent, edited, returned, withdrawn) and the note.
    private func record(_ outcome: String, note: String?, caseID: UUID, by actor: CurrentActor, at now: Date, on sql: any SQLDatabase) async throws {
        var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: actor.user.id, at: now, on: sql)
        timeline.record(kind: .replyReviewed, visibility: .internal, field: outcome, new: note)
        try await timeline.write(on: sql)
    }
}
