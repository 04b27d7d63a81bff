import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Changes a case's fields when the caller saw its latest version; records every change.
struct UpdateCase {
    let services: CasebookServices

    /// Thrown when the caller's version is stale; carries the case as it is now.
    struct StaleVersion: Error {
        let current: CaseRecord
    }

    func run(reference: String, patch request: CasePatchRequest, expectedVersion: Int, by current: CurrentActor,
             on db: any Database) async throws -> CaseRecord {
        let sql = services.store.sql(db)
        var record = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql)
        switch AccessPolicy.decide(.updateCase(CaseLookup.facts(record)), for: current.actor) {
        case .allowed: break
        case .forbidden: throw DomainError.forbidden("You may reply to this case but not change its fields.")
        case .hidden: throw DomainError.notFound("Case \(reference)")
        }
        guard record.version == expectedVersion else { throw StaleVersion(current: record) }

        let before = CaseLookup.state(record)
        let definitions = request.customFields.isEmpty ? [] : try await CaseRepository.customFieldDefinitions(on: sql)
        var patch = request.corePatch
        if patch.productVersionID != nil, patch.productID == nil, let versionID = patch.productVersionID ?? nil {
            patch.productID = .some(try await RelatedRecordRepository.product(ofVersion: versionID.rawValue, on: sql).map { ProductID($0) })
        }
        if let requester = patch.requesterID, requester != before.requesterID, patch.organisationID == nil {
            // A case moved to another person goes with them to their organisation, as a new case of theirs would.
            guard let organisation = try await RelatedRecordRepository.organisation(of: requester.rawValue, on: sql) else {
                throw DomainError.invalid("requester_id", "names no known person")
            }
            patch.organisationID = .some(organisation.map { OrganisationID($0) })
        }
        let (after, changes) = try before.applying(patch, definitions: definitions)
        guard !changes.isEmpty else { return record }
        try await RelatedRecords.check(after, changed: Set(changes.map(\.field)), on: sql)

        // Claim the version: only one writer can move it from the value the caller saw.
        let now = services.clock()
        guard try await CaseRepository.claimVersion(id: record.id, expected: expectedVersion, at: now, on: sql) else {
            throw StaleVersion(current: try await CaseRepository.find(id: record.id, on: sql) ?? record)
        }

        CaseLookup.apply(after, to: &record)
        record.version = expectedVersion + 1
        record.updatedAt = now
        if after.status != before.status { Self.stampStatus(after.status, on: &record, at: now) }
        try await CaseRepository.update(record, on: sql)

        if after.tags != before.tags {
            try await CaseRepository.writeTags(after.tags, caseID: record.id, replacing: true, on: sql)
        }
        if after.subject != before.subject {
            try await services.store.search.add(caseID: record.id, caseNumber: record.number, visibility: .public, text: after.subject, on: sql)
        }
        var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(changes)
        try await timeline.write(on: sql)
        try await AgentNotifier(services: services).notify(CaseActivity(record: record, actorID: current.user.id, changes: changes), on: sql, now: now)
        let automated = try await RuleApplier(services: services).run([record.id], trigger: .caseUpdated, on: sql, now: now)
        try await CaseClock(services: services).recompute(caseID: record.id, on: sql, now: now)
        if !automated.isEmpty, let changed = try await CaseRepository.find(id: record.id, on: sql) { record = changed }
        try await WebhookOutbox(services: services).caseChanged(record, changes: changes, from: before.status, to: after.status, on: sql, now: now)
        return record
    }

    /// Keeps the solved and closed stamps in step with the status.
    static func stampStatus(_ status: CaseStatus, on record: inout CaseRecord, at now: Date) {
        switch status {
        case .solved: record.solvedAt = now
        case .closed: record.closedAt = now
        default: if status.isActive { record.solvedAt = nil }
        }
    }
}
