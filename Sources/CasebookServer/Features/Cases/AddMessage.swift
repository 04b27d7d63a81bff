import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Adds a public reply or an internal note, and moves the case along as a help desk expects:
/// a customer's reply reopens a solved case and takes a pending one back to open.
struct AddMessage {
    let services: CasebookServices
    /// The author is copied on the case (mail from a CC'd colleague of the requester): they may add a public reply to a
    /// case they could not otherwise see.
    var copiedAuthor = false

    func run(reference: String, input: MessageCreateRequest, by current: CurrentActor, on db: any Database) async throws -> MessageRecord {
        let sql = services.store.sql(db)
        let now = services.clock()
        let record = try await locked(reference, visibility: input.visibility ?? .public, by: current, on: sql, at: now)
        return try await add(input, to: record, by: current, on: sql, at: now)
    }

    /// The case row locked and the author's right to write on it checked: the first half of adding a message, which
    /// SendReply shares so a reply that may be held reads the case once.
    func locked(_ reference: String, visibility: Visibility, by current: CurrentActor, on sql: any SQLDatabase, at now: Date) async throws -> CaseRecord {
        // The row lock comes first: the status read below decides the move, and orders the timeline.
        let record = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: now, on: sql)
        try checkAuthor(current, may: visibility, on: record, reference: reference)
        return record
    }

    /// The message's files, kept in the file store ahead of its write (see `AttachmentIntake.keep`) once the author is
    /// known to be allowed to write on the case; the files as given when there are none.
    func keptFiles(of input: MessageCreateRequest, reference: String, by current: CurrentActor) async throws -> [AttachmentUpload]? {
        guard input.attachments?.isEmpty == false else { return input.attachments }
        try await checkBeforeKeeping(reference, visibility: input.visibility ?? .public, by: current, on: services.store.sql)
        return try await AttachmentIntake(services: services).keep(input.attachments)
    }

    /// Checks, before any file of the message is kept, that the author may write on the case and that it is not
    /// closed: a refused reply then stores nothing, and nobody stores files through a case they cannot see.
    private func checkBeforeKeeping(_ reference: String, visibility: Visibility, by current: CurrentActor, on sql: any SQLDatabase) async throws {
        let record = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql)
        try checkAuthor(current, may: visibility, on: record, reference: reference)
        try refuseClosed(record)
    }

    private func checkAuthor(_ current: CurrentActor, may visibility: Visibility, on record: CaseRecord, reference: String) throws {
        let actor = current.actor
        switch AccessPolicy.decide(.addMessage(CaseLookup.facts(record), visibility), for: actor) {
        case .allowed: return
        case .forbidden: throw DomainError.forbidden(actor.role == .customer ? "Customers can only add public replies." : "You may not add messages.")
        case .hidden where copiedAuthor && visibility == .public: return
        case .hidden: throw DomainError.notFound("Case \(reference)")
        }
    }

    /// Adds the message to a case `locked` returned, in the same transaction.
    func add(_ input: MessageCreateRequest, to locked: CaseRecord, by current: CurrentActor, on sql: any SQLDatabase, at now: Date) async throws -> MessageRecord {
        var record = locked
        let actor = current.actor
        let visibility = input.visibility ?? .public
        if input.status != nil, !actor.role.isStaff { throw DomainError.forbidden("Customers cannot set the status with a reply.") }
        let text = try Self.checkedText(input.text)
        let files = try AttachmentIntake(services: services).decode(input.attachments)

        let before = CaseLookup.state(record)
        try refuseClosed(record)
        let nextStatus = try Self.statusAfterMessage(before.status, requested: input.status, visibility: visibility, role: actor.role)
        let (after, changes) = try before.applying(CasePatch(status: nextStatus), definitions: [])

        record.updatedAt = now
        if !changes.isEmpty {
            CaseLookup.apply(after, to: &record)
            record.version += 1
            UpdateCase.stampStatus(after.status, on: &record, at: now)
        }
        if actor.role.isStaff, visibility == .public, record.firstResponseAt == nil { record.firstResponseAt = now }
        var message = MessageRecord(
            caseID: record.id, authorID: current.user.id, visibility: visibility.rawValue,
            channel: ((actor.role.isStaff ? input.channel : nil) ?? current.defaultChannel).rawValue,
            text: text, html: input.html.map(HTMLSanitizer.sanitize), createdAt: now, emailMessageID: input.emailMessageID)
        CustomerTone.apply(text, role: actor.role, to: &message, case: &record)
        try await CaseRepository.update(record, on: sql)
        try await message.insert(on: sql)
        if let minutes = input.minutes, minutes != 0 {
            guard actor.role.isStaff else { throw DomainError.invalid("minutes", "is logged by staff only") }
            try await TimeEntryRepository.add(TimeEntry(id: RecordID.make(), caseID: record.id, messageID: message.id, userID: current.user.id,
                                            minutes: try TimeEntry.checked(minutes), note: nil, at: now), on: sql)
        }
        try await AttachmentIntake(services: services).store(files, messageID: message.id, caseID: record.id, at: now, on: sql)

        var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .message, visibility: visibility, messageID: message.id)
        timeline.record(changes)
        try await timeline.write(on: sql)
        try await AgentNotifier(services: services).notify(CaseActivity(record: record, actorID: current.user.id,
                                                                        message: .init(text: text, visibility: visibility, fromCustomer: !actor.role.isStaff),
                                                                        changes: changes), on: sql, now: now)
        try await services.store.search.add(caseID: record.id, caseNumber: record.number, visibility: visibility, text: text, on: sql)
        if actor.role.isStaff, visibility == .public {
            try await CaseNotifier(services: services).reply(record, messageID: message.id, text: text, authorID: current.user.id, on: sql, now: now)
        }
        if let trigger: RuleTrigger = actor.role.isStaff ? (visibility == .public ? .agentReplied : nil) : .customerReplied {
            try await RuleApplier(services: services).run([record.id], trigger: trigger, on: sql, now: now)
        }
        try await CaseClock(services: services).recompute(caseID: record.id, on: sql, now: now)
        let outbox = WebhookOutbox(services: services)
        if visibility == .public {
            try await outbox.caseEvent(.caseReplied, record, message: .init(id: message.id, authorID: current.user.id,
                                                                            from: actor.role.isStaff ? "staff" : "customer",
                                                                            channel: message.channel, text: text), on: sql, now: now)
        }
        try await outbox.caseChanged(record, changes: changes, from: before.status, to: after.status, on: sql, now: now)
        return message
    }

    /// A closed case takes no more messages: a follow-up is a new case.
    func refuseClosed(_ record: CaseRecord) throws {
        guard record.status == .closed else { return }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number)
        throw DomainError.conflict("Case \(reference) is closed; open a new case for a follow-up.")
    }

    /// A message's words as stored: trimmed, present, and of a size a person writes.
    static func checkedText(_ raw: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw DomainError.invalid("text", "must not be empty") }
        guard text.count <= 100_000 else { throw DomainError.invalid("text", "must be at most 100000 characters") }
        return text
    }

    /// The status a case moves to after a message, or nil to leave it.
    static func statusAfterMessage(_ status: CaseStatus, requested: CaseStatus?, visibility: Visibility, role: Role) throws -> CaseStatus? {
        if let requested { return requested }
        guard visibility == .public else { return nil }
        if role == .customer {
            return status == .solved || status.isWaiting ? .open : nil
        }
        return status == .new ? .open : nil
    }
}
