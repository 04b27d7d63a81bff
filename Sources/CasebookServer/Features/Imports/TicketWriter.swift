import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Writes one ticket from another help desk as a case, its whole history in order, in one transaction.
///
/// Idempotent: a ticket already imported (by source and id) is left alone, so an import can be run
/// again or resumed after it stopped, and nothing arrives twice.
struct TicketWriter {
    let services: CasebookServices

    /// What writing one ticket came to.
    struct Outcome: Sendable {
        var reference: String?
        var entries = 0
        var attachments = 0
        /// Things the ticket had that Casebook keeps only as a note ("custom field Severity", "link depends on").
        var unmapped: [String] = []
        var skipped: Bool { reference == nil }
    }

    func write(_ ticket: ImportedTicket) async throws -> Outcome {
        try await services.store.write { db in try await self.write(ticket, on: db) }
    }

    func write(_ ticket: ImportedTicket, on db: any Database) async throws -> Outcome {
        var directory = ImportDirectory(db: db, sql: services.store.sql(db), now: services.clock())
        return try await write(ticket, on: db, directory: &directory)
    }

    /// Writes `ticket` in the caller's transaction, finding people and groups through `directory` (shared by a batch).
    func write(_ ticket: ImportedTicket, on db: any Database, directory: inout ImportDirectory) async throws -> Outcome {
        let sql = services.store.sql(db)
        if try await ImportRecordRepository.caseID(source: ticket.source, externalID: ticket.externalID, on: sql) != nil { return Outcome() }
        let requester = try await directory.user(ticket.requester ?? ImportedPerson(email: "", name: "Unknown requester"), source: ticket.source)!
        let owner = try await directory.user(ticket.owner, source: ticket.source)

        var record = CaseRecord(id: RecordID.make(), number: try await services.references.next(on: sql), channel: CaseChannel.system.rawValue,
                                at: ticket.createdAt, requesterID: requester.id)
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        let priority = Priority(rawValue: ticket.priority) ?? .normal
        (record.subject, record.status, record.priority, record.priorityRank) =
            (String(ticket.subject.prefix(250)).isEmpty ? "(no subject)" : String(ticket.subject.prefix(250)), ticket.status.rawValue, priority.rawValue, priority.rank)
        (record.organisationID, record.assigneeID, record.groupID) = (requester.organisationID, owner.flatMap { $0.isStaff ? $0.id : nil },
                                                                      try await directory.group(ticket.queue))
        let tags = Array(Set(["imported-\(ticket.source)", "\(ticket.source)-\(ticket.externalID)"] + ticket.tags.map { $0.lowercased() })).sorted()
        record.tags = CaseCodec.encode(tags)
        (record.updatedAt, record.solvedAt) = (ticket.updatedAt, ticket.status == .solved || ticket.status == .closed ? (ticket.solvedAt ?? ticket.updatedAt) : nil)
        if ticket.status == .closed { record.closedAt = ticket.solvedAt ?? ticket.updatedAt }

        var outcome = Outcome(reference: reference)
        var timeline = TimelineBatch()
        var position = 1
        timeline.add(caseID: record.id, position: position, kind: .created, actorID: requester.id, new: reference, visibility: .public, at: ticket.createdAt)
        var messages: [(MessageRecord, [ImportedFile])] = []
        // Other systems keep whole seconds, so several entries share a time: each gets a millisecond after the one
        // before, which keeps their order wherever Casebook sorts by time, and their times to the source's precision.
        var last = ticket.createdAt
        for var entry in ticket.entries {
            entry.at = max(entry.at, last.addingTimeInterval(0.001))
            last = entry.at
            position += 1
            let author = try await directory.user(entry.author, source: ticket.source)
            switch entry.kind {
            case let .fieldChange(field, old, new):
                timeline.add(caseID: record.id, position: position, kind: .fieldChanged, actorID: author?.id, field: field, old: old, new: new,
                             visibility: .internal, at: entry.at)
            case .publicMessage, .internalNote:
                let visibility: Visibility = entry.kind == .publicMessage ? .public : .internal
                let text = entry.text.isEmpty ? (entry.files.isEmpty ? "(no text)" : "(attachments only)") : entry.text
                let message = MessageRecord(id: RecordID.make(at: entry.at), caseID: record.id, authorID: author?.id ?? requester.id, visibility: visibility.rawValue,
                                            channel: CaseChannel.system.rawValue, text: text, html: nil, createdAt: entry.at)
                if visibility == .public, author?.isStaff == true, record.firstResponseAt == nil { record.firstResponseAt = entry.at }
                messages.append((message, entry.files))
                timeline.add(caseID: record.id, position: position, kind: .message, actorID: author?.id, messageID: message.id, visibility: visibility, at: entry.at)
            }
            outcome.entries += 1
        }
        let note = Self.keptAsNote(ticket, unmapped: &outcome.unmapped)
        if let note {
            position += 1
            let at = max(ticket.updatedAt, last.addingTimeInterval(0.001))
            let message = MessageRecord(id: RecordID.make(at: at), caseID: record.id, authorID: nil, visibility: Visibility.internal.rawValue,
                                        channel: CaseChannel.system.rawValue, text: note, html: nil, createdAt: at)
            messages.append((message, []))
            timeline.add(caseID: record.id, position: position, kind: .message, actorID: nil, messageID: message.id, visibility: .internal, at: at)
        }

        try await CaseRepository.insert(record, on: sql)
        try await CaseRepository.writeTags(tags, caseID: record.id, replacing: false, on: sql)
        let files = AttachmentIntake(services: services)
        for (index, (message, attached)) in messages.enumerated() {
            try await message.insert(on: sql)
            try await files.store(attached.map { .init(filename: $0.filename, contentType: $0.contentType, data: $0.data) }, messageID: message.id,
                                  caseID: record.id, at: message.createdAt, on: sql)
            outcome.attachments += attached.count
            let visibility = Visibility(rawValue: message.visibility) ?? .internal
            if index == 0 {
                try await services.store.search.addOpening(caseID: record.id, caseNumber: record.number, text: record.subject + "\n" + message.text, on: sql)
            } else {
                try await services.store.search.add(caseID: record.id, caseNumber: record.number, visibility: visibility, text: message.text, on: sql)
            }
        }
        if messages.isEmpty {
            try await services.store.search.addOpening(caseID: record.id, caseNumber: record.number, text: record.subject, on: sql)
        }
        try await timeline.write(on: sql)
        try await ImportRecordRepository.remember(source: ticket.source, externalID: ticket.externalID, caseID: record.id, at: services.clock(), on: sql)
        return outcome
    }

    /// What has no field of its own here (custom fields, links between tickets, the source's own status), as one internal note.
    static func keptAsNote(_ ticket: ImportedTicket, unmapped: inout [String]) -> String? {
        var lines: [String] = []
        for field in ticket.customFields where !field.value.isEmpty {
            lines.append("\(field.name): \(field.value)")
            unmapped.append("custom field '\(field.name)'")
        }
        for link in ticket.links {
            lines.append("\(link.relation) \(Self.sourceName(ticket.source)) #\(link.targetExternalID)")
            unmapped.append("link '\(link.relation)'")
        }
        // Statuses with an exact counterpart say nothing new; the others (RT's stalled or rejected, Zendesk's hold) are kept.
        if !["new", "open", "pending", "resolved", "solved", "closed"].contains(ticket.sourceStatus.lowercased()) {
            lines.append("Status there: \(ticket.sourceStatus)")
        }
        guard !lines.isEmpty else { return nil }
        return "Imported from \(Self.sourceName(ticket.source)) ticket #\(ticket.externalID).\n" + lines.joined(separator: "\n")
    }

    static func sourceName(_ source: String) -> String {
        ["rt": "Request Tracker", "zendesk": "Zendesk", "freshdesk": "Freshdesk"][source] ?? source
    }
}
