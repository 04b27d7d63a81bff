import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// What a canned response does to the case besides answering (a macro): each member left out changes nothing.
struct MacroActions: Codable, Sendable, Equatable {
    var status: CaseStatus?
    var priority: Priority?
    var assigneeID: UUID?
    var groupID: UUID?
    /// Added to the case's tags.
    var tags: [String]?

    enum CodingKeys: String, CodingKey { case status, priority, tags, assigneeID = "assignee_id", groupID = "group_id" }

    var isEmpty: Bool { status == nil && priority == nil && assigneeID == nil && groupID == nil && (tags ?? []).isEmpty }

    /// Checks that the assignee is staff and the group exists, naming the member at fault.
    func checked(on sql: any SQLDatabase) async throws -> MacroActions? {
        guard !isEmpty else { return nil }
        if let assigneeID, try await !CannedResponseRepository.isStaff(assigneeID, on: sql) {
            throw DomainError.invalid("actions.assignee_id", "is not a member of staff")
        }
        if let groupID, try await !CannedResponseRepository.groupExists(groupID, on: sql) {
            throw DomainError.invalid("actions.group_id", "is not a group")
        }
        var copy = self
        copy.tags = try tags.map { try $0.map { tag in
            let trimmed = tag.trimmingCharacters(in: .whitespaces).lowercased()
            guard !trimmed.isEmpty, trimmed.count <= 50 else { throw DomainError.invalid("actions.tags", "must be 1 to 50 characters each") }
            return trimmed
        } }
        return copy
    }

    static func decode(_ text: String?) -> MacroActions? {
        text.flatMap { try? JSONDecoder().decode(MacroActions.self, from: Data($0.utf8)) }
    }

    func encoded() -> String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

/// What applying a macro to a case says, or would say, and changes.
struct MacroPreview: Content {
    struct Change: Content {
        var field: String
        var from: String
        var to: String
    }

    var text: String
    var changes: [Change]
    var applied: Bool
    /// Set once applied: the reply waits for a fluent colleague's review instead of having been sent.
    var replyHeld: Bool?

    enum CodingKeys: String, CodingKey { case text, changes, applied, replyHeld = "reply_held" }
}

/// Applies a canned response to a case as one action: the reply (with the macro's status) and the other field changes,
/// in one transaction, refused as a whole if the case changed since the agent looked at it.
struct ApplyMacro {
    let services: CasebookServices

    func preview(_ canned: CannedResponseView, to record: CaseRecord, text: String, on sql: any SQLDatabase) async throws -> MacroPreview {
        var changes: [MacroPreview.Change] = []
        guard let actions = canned.actions else { return MacroPreview(text: text, changes: [], applied: false) }
        if let status = actions.status, status != record.status {
            changes.append(.init(field: "status", from: record.status.rawValue.replacingOccurrences(of: "_", with: " "),
                                 to: status.rawValue.replacingOccurrences(of: "_", with: " ")))
        }
        if let priority = actions.priority, priority != record.priority {
            changes.append(.init(field: "priority", from: record.priority.rawValue, to: priority.rawValue))
        }
        let names = try await RecordNameRepository.load(Set([actions.assigneeID, record.assigneeID, actions.groupID, record.groupID].compactMap { $0 }),
                                               from: ["users", "groups"], on: sql)
        let tags = CaseCodec.tags(record.tags)
        if let assignee = actions.assigneeID, assignee != record.assigneeID {
            changes.append(.init(field: "assignee", from: record.assigneeID.flatMap { names[$0] } ?? "nobody", to: names[assignee] ?? "?"))
        }
        if let group = actions.groupID, group != record.groupID {
            changes.append(.init(field: "group", from: record.groupID.flatMap { names[$0] } ?? "none", to: names[group] ?? "?"))
        }
        let added = (actions.tags ?? []).filter { !tags.contains($0) }
        if !added.isEmpty {
            changes.append(.init(field: "tags", from: tags.isEmpty ? "none" : tags.joined(separator: ", "), to: (tags + added).joined(separator: ", ")))
        }
        return MacroPreview(text: text, changes: changes, applied: false)
    }

    /// Sends the reply (or holds it for review, as any reply) and makes the changes; `expectedVersion` is the case as the agent saw it.
    @discardableResult
    func apply(_ canned: CannedResponseView, reference: String, text: String, expectedVersion: Int, by current: CurrentActor,
               on db: any Database) async throws -> SendReply.Outcome {
        let sql = services.store.sql(db)
        let record = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: services.clock(), on: sql)
        guard record.version == expectedVersion else { throw UpdateCase.StaleVersion(current: record) }
        var reply = MessageCreateRequest(text: text)
        reply.status = canned.actions?.status
        let outcome = try await SendReply(services: services).run(reference: reference, input: reply, by: current, on: db)
        guard let actions = canned.actions else { return outcome }
        var patch: [String: Any] = [:]
        if let priority = actions.priority { patch["priority"] = priority.rawValue }
        if let assignee = actions.assigneeID { patch["assignee_id"] = assignee.uuidString }
        if let group = actions.groupID { patch["group_id"] = group.uuidString }
        if let tags = actions.tags, !tags.isEmpty { patch["tags"] = Array(Set((CaseCodec.tags(record.tags)) + tags)).sorted() }
        guard !patch.isEmpty else { return outcome }
        let request = try JSONDecoder().decode(CasePatchRequest.self, from: JSONSerialization.data(withJSONObject: patch))
        let now = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql)
        _ = try await UpdateCase(services: services).run(reference: reference, patch: request, expectedVersion: now.version, by: current, on: db)
        return outcome
    }
}
