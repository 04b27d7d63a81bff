import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Turns one message of a case into a case of its own (a customer who asked two things in one mail): the new case
/// has the message as its description, its files and the same requester, and the two are linked and say so on their
/// timelines. The message stays where it was, so nothing is lost from the first case.
struct SplitMessage {
    let services: CasebookServices

    func run(reference: String, messageID: UUID, subject: String?, by current: CurrentActor, on db: any Database) async throws -> CaseRecord {
        let sql = services.store.sql(db)
        let prefix = services.configuration.referencePrefix
        let source = try await CaseLookup.find(reference, prefix: prefix, on: sql)
        guard let message = try await ConversationRepository.messages(caseID: source.id, includeInternal: true, on: sql).first(where: { $0.id == messageID }) else {
            throw DomainError.notFound("That message on \(reference)")
        }
        // The person who wrote it asks the new question; a note by staff stays the old requester's case.
        let author = try await message.authorID.asyncMap { try await UserModel.find($0, on: db) }
        let requester = author.flatMap { (Role(rawValue: $0.role) ?? .customer).isStaff ? nil : $0.id } ?? source.requesterID
        let firstLine = message.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let typed = subject?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let title = typed.isEmpty ? String((firstLine.isEmpty ? source.subject : firstLine).prefix(120)) : typed
        var input = CaseCreateRequest(subject: title, description: message.text)
        input.requesterID = requester
        input.organisationID = source.organisationID
        input.priority = source.priority
        input.channel = CaseChannel(rawValue: message.channel)
        let created = try await OpenCase(services: services).run(input, by: current, on: db)
        // The new case's opening message gets the same files.
        if let opening = try await ConversationRepository.messages(caseID: created.id, includeInternal: true, on: sql).first {
            try await AttachmentCopyRepository.copy(from: message.id, to: opening.id, caseID: created.id, on: sql)
        }
        let now = services.clock()
        _ = try await CaseLinkRepository.add(created.id, to: source.id, kind: .related, by: current.user.id, at: now, on: sql)
        let (old, new) = (Reference(prefix: prefix, number: source.number).description, Reference(prefix: prefix, number: created.number).description)
        for (caseID, words) in [(source.id, "split into \(new)"), (created.id, "split from \(old)")] {
            var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: current.user.id, at: now, on: sql)
            timeline.record(kind: .caseLinked, visibility: .internal, field: "link", new: words)
            try await timeline.write(on: sql)
        }
        return created
    }
}
