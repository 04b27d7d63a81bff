import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Merges a case into another (the same request filed twice): its messages and files are copied to the case that
/// remains, under a timeline entry that says where they came from; the merged case is solved and closed, its page
/// leads to the other and mail answering it lands there. Nothing is deleted.
struct MergeCases {
    let services: CasebookServices

    func run(_ reference: String, into target: String, by current: CurrentActor, on db: any Database) async throws -> CaseRecord {
        let sql = services.store.sql(db)
        let prefix = services.configuration.referencePrefix
        let now = services.clock()
        let source = try await CaseLookup.findForUpdate(reference, prefix: prefix, at: now, on: sql)
        let survivor: CaseRecord
        do { survivor = try await CaseLookup.findForUpdate(target, prefix: prefix, at: now, on: sql) } catch DomainError.notFound {
            throw DomainError.invalid("into", "names no case")
        }
        guard AccessPolicy.decide(.updateCase(CaseLookup.facts(survivor)), for: current.actor) == .allowed else {
            throw DomainError.invalid("into", "names no case you may change")
        }
        guard survivor.id != source.id else { throw DomainError.invalid("into", "is this case itself") }
        guard try await CaseLinkRepository.survivor(of: source.id, on: sql) == nil else { throw DomainError.conflict("\(reference) was merged already.") }
        guard try await CaseLinkRepository.survivor(of: survivor.id, on: sql) == nil else {
            throw DomainError.invalid("into", "was itself merged into another case; merge into that one")
        }
        let (from, to) = (Reference(prefix: prefix, number: source.number).description, Reference(prefix: prefix, number: survivor.number).description)

        try await FollowerRepository.move(from: source.id, to: survivor.id, at: now, on: sql)
        try await CaseCopyRepository.move(from: source.id, to: survivor.id, at: now, on: sql)
        var timeline = try await TimelineWriter.continuing(caseID: survivor.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .caseLinked, visibility: .internal, field: "link", new: "merged from \(from)")
        for message in try await ConversationRepository.messages(caseID: source.id, includeInternal: true, on: sql) {
            var copy = MessageRecord(caseID: survivor.id, authorID: message.authorID, visibility: message.visibility, channel: message.channel,
                                     text: message.text, html: message.html, createdAt: message.createdAt)
            copy.tone = message.tone
            try await copy.insert(on: sql)
            try await AttachmentCopyRepository.copy(from: message.id, to: copy.id, caseID: survivor.id, on: sql)
            timeline.record(kind: .message, visibility: Visibility(rawValue: message.visibility) ?? .internal, messageID: copy.id)
            try await services.store.search.add(caseID: survivor.id, caseNumber: survivor.number, visibility: Visibility(rawValue: message.visibility) ?? .internal,
                                                text: message.text, on: sql)
        }
        try await timeline.write(on: sql)

        _ = try await CaseLinkRepository.add(source.id, to: survivor.id, kind: .mergedInto, by: current.user.id, at: now, on: sql)
        var closing = try await TimelineWriter.continuing(caseID: source.id, actorID: current.user.id, at: now, on: sql)
        closing.record(kind: .caseLinked, visibility: .internal, field: "link", new: "merged into \(to)")
        try await closing.write(on: sql)
        // Solved, then closed, through the usual rules, so clocks stop and reports count it as they count any case.
        for status in [CaseStatus.solved, .closed] where source.status != status {
            guard let now = try await CaseRepository.find(id: source.id, on: sql), now.status != .closed else { break }
            let patch = try JSONDecoder().decode(CasePatchRequest.self, from: Data("{\"status\":\"\(status.rawValue)\"}".utf8))
            _ = try await UpdateCase(services: services).run(reference: from, patch: patch, expectedVersion: now.version, by: current, on: db)
        }
        return try await CaseRepository.find(id: survivor.id, on: sql) ?? survivor
    }
}
