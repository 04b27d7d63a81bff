import CasebookCore
import Fluent
import Foundation
import SQLKit

/// An agent's reply from the console, the API or a macro: sent at once, or held for a colleague fluent in its
/// language when its author does not write that language well. Notes and customers' messages always go straight on.
struct SendReply {
    let services: CasebookServices

    enum Outcome: Sendable {
        case sent(MessageRecord)
        case held(ReplyDraft)
    }

    func run(reference: String, input: MessageCreateRequest, by current: CurrentActor, on db: any Database) async throws -> Outcome {
        let sql = services.store.sql(db)
        let now = services.clock()
        let adding = AddMessage(services: services)
        let record = try await adding.locked(reference, visibility: input.visibility ?? .public, by: current, on: sql, at: now)
        if let draft = try await holdIfNeeded(record, input: input, by: current, on: sql, at: now) { return .held(draft) }
        return .sent(try await adding.add(input, to: record, by: current, on: sql, at: now))
    }

    /// Stores the reply as a waiting draft when it needs review, after the checks sending would make.
    private func holdIfNeeded(_ record: CaseRecord, input: MessageCreateRequest, by current: CurrentActor,
                              on sql: any SQLDatabase, at now: Date) async throws -> ReplyDraft? {
        guard current.actor.role.isStaff, (input.visibility ?? .public) == .public else { return nil }
        let text = try AddMessage.checkedText(input.text)
        guard let author = try await UserRepository.languages(of: current.user.id, on: sql) else { return nil }
        let ruled = try await ReplyReviewRepository.reviewRule(caseID: record.id, on: sql) != nil
        // A reply that does not say its language is read as the author's own; a rule's review still needs a reviewer for it.
        guard let language = ReplyReview.language(of: text) ?? (ruled ? String(author.profile.prefix(2)) : nil) else { return nil }
        guard let reason = ruled ? .rule : ReplyReview.reason(language: language, listed: author.writes, profileLanguage: author.profile) else { return nil }

        let before = CaseLookup.state(record)
        try AddMessage(services: services).refuseClosed(record)
        if let status = input.status { _ = try before.applying(CasePatch(status: status), definitions: []) }
        if let minutes = input.minutes, minutes != 0 { _ = try TimeEntry.checked(minutes) }
        let intake = AttachmentIntake(services: services)
        let files = try await intake.kept(try intake.decode(input.attachments)).map { file in
            ReplyDraftFile(filename: file.filename, contentType: file.contentType, size: file.data.count, sha256: file.digest ?? BlobDigest.of(file.data))
        }
        let draft = ReplyDraft(
            id: RecordID.make(), caseID: record.id, reference: Reference(prefix: services.configuration.referencePrefix, number: record.number).description,
            subject: record.subject, authorID: current.user.id, authorName: current.user.name, language: language, reason: reason, text: text,
            html: input.html.map(HTMLSanitizer.sanitize), status: input.status, minutes: input.minutes, attachments: files, state: .waiting,
            createdAt: now)
        try await ReplyReviewRepository.hold(draft, on: sql)
        var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .replyHeld, visibility: .internal, new: language)
        try await timeline.write(on: sql)
        try await AgentNotifier(services: services).reviewRequested(record, language: language, text: text, authorID: current.user.id, on: sql, now: now)
        return draft
    }
}
