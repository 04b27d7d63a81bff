import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Adds a public reply or an internal note, and moves the case along as a help desk expects:
/// a customer's reply reopens a solved case and takes a pending one back to open.
struct AddMessage {
    let services: CasebookServices

    func run(reference: String, input: MessageCreateRequest, by current: CurrentActor, on db: any Database) async throws -> MessageModel {
        let model = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: db)
        let actor = current.actor
        let visibility = input.visibility ?? .public
        switch AccessPolicy.decide(.addMessage(CaseLookup.facts(model), visibility), for: actor) {
        case .allowed: break
        case .forbidden: throw Problem.forbidden(actor.role == .customer ? "Customers can only add public replies." : "You may not add messages.")
        case .hidden: throw Problem.notFound("Case \(reference)")
        }
        if input.status != nil, !actor.role.isStaff { throw Problem.forbidden("Customers cannot set the status with a reply.") }
        let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Problem.invalid("text", "must not be empty") }
        guard text.count <= 100_000 else { throw Problem.invalid("text", "must be at most 100000 characters") }
        let files = try AttachmentIntake(services: services).decode(input.attachments)

        let before = CaseLookup.state(model)
        if before.status == .closed {
            throw Problem.conflict("Case \(reference) is closed; open a new case for a follow-up.")
        }
        let nextStatus = try Self.statusAfterMessage(before.status, requested: input.status, visibility: visibility, role: actor.role)
        let (after, changes) = try before.applying(CasePatch(status: nextStatus), definitions: [])

        let now = services.clock()
        let caseID = try model.requireID()
        let sql = services.store.sql(db)
        // Touch the row first: it takes the row lock that orders this case's timeline.
        try await sql.raw("UPDATE cases SET updated_at = \(bind: now) WHERE id = \(bind: caseID)").run()
        model.updatedAt = now
        if !changes.isEmpty {
            CaseLookup.apply(after, to: model)
            model.version += 1
            UpdateCase.stampStatus(after.status, on: model, at: now)
        }
        if actor.role.isStaff, visibility == .public, model.firstResponseAt == nil { model.firstResponseAt = now }
        try await model.update(on: db)

        let message = MessageModel(
            caseID: caseID, authorID: current.user.id, visibility: visibility.rawValue,
            channel: (actor.role.isStaff ? input.channel : nil)?.rawValue ?? (current.viaSession ? CaseChannel.portal : CaseChannel.api).rawValue,
            text: text, html: input.html.map(HTMLSanitizer.sanitize), createdAt: now)
        try await message.create(on: db)
        try await AttachmentIntake(services: services).store(files, messageID: try message.requireID(), caseID: caseID, at: now, on: db)

        var timeline = try await TimelineWriter.start(caseID: caseID, actorID: current.user.id, at: now, on: db)
        try await timeline.record(kind: "message", visibility: visibility, messageID: message.id, on: db)
        try await timeline.record(changes, on: db)
        try await services.store.search.add(caseID: caseID, visibility: visibility, text: text, on: sql)
        return message
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
