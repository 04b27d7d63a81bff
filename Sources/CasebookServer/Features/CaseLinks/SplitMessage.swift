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
        guard let message = try await MessageRecord.list(caseID: source.id, includeInternal: true, on: sql).first(where: { $0.id == messageID }) else {
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
        input.priority = Priority(rawValue: source.priority)
        input.channel = CaseChannel(rawValue: message.channel)
        let created = try await OpenCase(services: services).run(input, by: current, on: db)
        try await copyAttachments(of: message.id, from: source.id, to: created.id, on: sql)
        let now = services.clock()
        _ = try await CaseLinks.add(created.id, to: source.id, kind: .related, by: current.user.id, at: now, on: sql)
        let (old, new) = (Reference(prefix: prefix, number: source.number).description, Reference(prefix: prefix, number: created.number).description)
        for (caseID, words) in [(source.id, "split into \(new)"), (created.id, "split from \(old)")] {
            var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: current.user.id, at: now, on: sql)
            timeline.record(kind: .caseLinked, visibility: .internal, field: "link", new: words)
            try await timeline.write(on: sql)
        }
        return created
    }

    /// The new case's opening message gets the same files (rows only: the stored files are shared by their digest).
    private func copyAttachments(of messageID: UUID, from source: UUID, to target: UUID, on sql: any SQLDatabase) async throws {
        guard let opening = try await MessageRecord.list(caseID: target, includeInternal: true, on: sql).first else { return }
        for row in try await sql.select().columns("filename", "content_type", "size", "sha256", "created_at").from("attachments")
            .where("message_id", .equal, messageID).where("case_id", .equal, source).all() {
            try await sql.insert(into: "attachments")
                .columns("id", "message_id", "case_id", "filename", "content_type", "size", "sha256", "created_at")
                .values(SQLBind(RecordID.make()), SQLBind(opening.id), SQLBind(target), SQLBind(try row.decode(column: "filename", as: String.self)),
                        SQLBind(try row.decode(column: "content_type", as: String.self)), SQLBind(try row.decode(column: "size", as: Int.self)),
                        SQLBind(try row.decode(column: "sha256", as: String.self)), SQLBind(try row.decode(column: "created_at", as: Date.self))).run()
        }
    }
}
