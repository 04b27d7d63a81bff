import CasebookCore
import CasebookMail
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
        /// Things the ticket had that Casebook keeps only as a note (a value that does not fit its field, a link to a
        /// ticket not imported before it).
        var unmapped: [String] = []
        var skipped: Bool { reference == nil }
    }

    /// What of a ticket found no place of its own, for its note.
    struct Leftovers {
        var fields: [(name: String, value: String)] = []
        var links: [ImportedLink] = []
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
            (String(ticket.subject.prefix(250)).isEmpty ? "(no subject)" : String(ticket.subject.prefix(250)), ticket.status, priority, priority.rank)
        (record.organisationID, record.assigneeID, record.groupID) = (requester.organisationID, owner.flatMap { $0.isStaff ? $0.id : nil },
                                                                      try await directory.group(ticket.queue))
        let tags = Array(Set(["imported-\(ticket.source)", "\(ticket.source)-\(ticket.externalID)"] + ticket.tags.map { $0.lowercased() })).sorted()
        record.tags = CaseCodec.encode(tags)
        (record.updatedAt, record.solvedAt) = (ticket.updatedAt, ticket.status == .solved || ticket.status == .closed ? (ticket.solvedAt ?? ticket.updatedAt) : nil)
        if ticket.status == .closed { record.closedAt = ticket.solvedAt ?? ticket.updatedAt }
        var left = Leftovers()
        record.customFields = CaseCodec.encode(try await fieldValues(ticket, directory: &directory, left: &left))
        let links = try await resolvedLinks(ticket, left: &left, on: sql)

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
                let message = MessageRecord(id: RecordID.make(at: entry.at), caseID: record.id, authorID: author?.id ?? requester.id, visibility: visibility.rawValue,
                                            channel: CaseChannel.system.rawValue, text: Self.text(of: entry),
                                            html: entry.html.map(HTMLSanitizer.sanitize), createdAt: entry.at)
                if visibility == .public, author?.isStaff == true, record.firstResponseAt == nil { record.firstResponseAt = entry.at }
                messages.append((message, entry.files))
                timeline.add(caseID: record.id, position: position, kind: .message, actorID: author?.id, messageID: message.id, visibility: visibility, at: entry.at)
            }
            outcome.entries += 1
        }
        let note = Self.keptAsNote(ticket, left: left, unmapped: &outcome.unmapped)
        if let note {
            position += 1
            let at = max(ticket.updatedAt, last.addingTimeInterval(0.001))
            let message = MessageRecord(id: RecordID.make(at: at), caseID: record.id, authorID: nil, visibility: Visibility.internal.rawValue,
                                        channel: CaseChannel.system.rawValue, text: note, html: nil, createdAt: at)
            messages.append((message, []))
            timeline.add(caseID: record.id, position: position, kind: .message, actorID: nil, messageID: message.id, visibility: .internal, at: at)
        }

        // Each link is on both cases' records, as a link made by hand is.
        let prefix = services.configuration.referencePrefix
        for link in links {
            position += 1
            let words = link.kind.words(inverse: !link.thisFirst), other = Reference(prefix: prefix, number: link.otherNumber).description
            timeline.add(caseID: record.id, position: position, kind: .caseLinked, actorID: nil, field: "link", new: "\(words) \(other)",
                         visibility: .internal, at: max(ticket.updatedAt, last.addingTimeInterval(0.002)))
        }

        try await CaseRepository.insert(record, on: sql)
        try await CaseRepository.writeTags(tags, caseID: record.id, replacing: false, on: sql)
        for link in links {
            let (from, to) = link.thisFirst ? (record.id, link.otherID) : (link.otherID, record.id)
            _ = try await CaseLinkRepository.add(from, to: to, kind: link.kind, by: nil, at: ticket.updatedAt, on: sql)
            var theirs = try await TimelineWriter.continuing(caseID: link.otherID, actorID: nil, at: ticket.updatedAt, on: sql)
            theirs.record(kind: .caseLinked, visibility: .internal, field: "link", new: "\(link.kind.words(inverse: link.thisFirst)) \(reference)")
            try await theirs.write(on: sql)
        }
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

    /// The ticket's custom fields as values of Casebook's fields of the same name (made as text fields when missing);
    /// what does not fit is left for the note.
    private func fieldValues(_ ticket: ImportedTicket, directory: inout ImportDirectory, left: inout Leftovers) async throws
        -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for field in ticket.customFields where !field.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if let definition = try await directory.customField(named: field.name), values[definition.key] == nil,
               let value = ImportedField.value(field.value, for: definition) {
                values[definition.key] = value
            } else {
                left.fields.append(field)
            }
        }
        return values
    }

    /// The ticket's links to tickets imported before it, as links between their cases; a link to one not imported yet is
    /// made when that one is, from its own side (Request Tracker lists a link on both tickets), and noted here meanwhile.
    private func resolvedLinks(_ ticket: ImportedTicket, left: inout Leftovers, on sql: any SQLDatabase) async throws -> [ResolvedLink] {
        var links: [ResolvedLink] = []
        for link in ticket.links {
            guard let otherID = try await ImportRecordRepository.caseID(source: ticket.source, externalID: link.targetExternalID, on: sql) else {
                left.links.append(link)
                continue
            }
            guard !links.contains(where: { $0.otherID == otherID }), let other = try await CaseRepository.find(id: otherID, on: sql) else { continue }
            let (kind, thisFirst) = Self.linkKind(link.relation)
            links.append((otherID, other.number, kind, thisFirst))
        }
        return links
    }

    typealias ResolvedLink = (otherID: UUID, otherNumber: Int, kind: CaseLinkKind, thisFirst: Bool)

    /// How a link of the other system reads here: parents and members become parts, the rest related cases.
    static func linkKind(_ relation: String) -> (kind: CaseLinkKind, thisFirst: Bool) {
        switch relation.lowercased() {
        case "parent", "member of", "incident of problem": (.childOf, true)
        case "child", "has member": (.childOf, false)
        default: (.related, true)
        }
    }

    /// What has no field of its own here (a value its field refuses, a link to a ticket not imported yet, the source's
    /// own status), as one internal note.
    static func keptAsNote(_ ticket: ImportedTicket, left: Leftovers, unmapped: inout [String]) -> String? {
        var lines: [String] = []
        for field in left.fields {
            lines.append("\(field.name): \(field.value)")
            unmapped.append("custom field '\(field.name)'")
        }
        for link in left.links {
            lines.append("\(link.relation) \(Self.sourceName(ticket.source)) #\(link.targetExternalID)")
            unmapped.append("link '\(link.relation)' to a ticket not imported before it")
        }
        // Statuses with an exact counterpart say nothing new; the others (RT's stalled or rejected, Zendesk's hold) are kept.
        if !["new", "open", "pending", "resolved", "solved", "closed"].contains(ticket.sourceStatus.lowercased()) {
            lines.append("Status there: \(ticket.sourceStatus)")
        }
        guard !lines.isEmpty else { return nil }
        return "Imported from \(Self.sourceName(ticket.source)) ticket #\(ticket.externalID).\n" + lines.joined(separator: "\n")
    }

    /// An entry's plain text: its own, else read out of its HTML, else a word on why there is none.
    static func text(of entry: ImportedEntry) -> String {
        let text = entry.text.isEmpty ? entry.html.map(HTMLText.text(from:)) ?? "" : entry.text
        guard text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return text }
        return entry.files.isEmpty ? "(no text)" : "(attachments only)"
    }

    static func sourceName(_ source: String) -> String {
        ["rt": "Request Tracker", "zendesk": "Zendesk", "freshdesk": "Freshdesk"][source] ?? source
    }
}
