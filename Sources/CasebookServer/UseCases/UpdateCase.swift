import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Changes a case's fields when the caller saw its latest version; records every change.
struct UpdateCase {
    let services: CasebookServices

    /// Thrown when the caller's version is stale; carries the case as it is now.
    struct StaleVersion: Error {
        let current: CaseModel
    }

    func run(reference: String, patch request: CasePatchRequest, expectedVersion: Int, by current: CurrentActor,
             on db: any Database) async throws -> CaseModel {
        let model = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: db)
        switch AccessPolicy.decide(.updateCase(CaseLookup.facts(model)), for: current.actor) {
        case .allowed: break
        case .forbidden: throw Problem.forbidden("You may reply to this case but not change its fields.")
        case .hidden: throw Problem.notFound("Case \(reference)")
        }
        guard model.version == expectedVersion else { throw StaleVersion(current: model) }

        let before = CaseLookup.state(model)
        let definitions = try await CaseLookup.customFieldDefinitions(on: db)
        var patch = request.corePatch
        if patch.productVersionID != nil, patch.productID == nil, let versionID = patch.productVersionID ?? nil {
            patch.productID = .some(try await ProductVersionModel.find(versionID.rawValue, on: db).map { ProductID($0.productID) })
        }
        let (after, changes) = try before.applying(patch, definitions: definitions)
        guard !changes.isEmpty else { return model }
        try await RelatedRecords.check(after, changed: Set(changes.map(\.field)), on: db)

        // Claim the version: only one writer can move it from the value the caller saw.
        let now = services.clock()
        let sql = services.store.sql(db)
        let claimed = try await sql.raw("""
            UPDATE cases SET version = version + 1, updated_at = \(bind: now)
            WHERE id = \(bind: model.requireID()) AND version = \(bind: expectedVersion) RETURNING version
            """).first()
        guard claimed != nil else {
            let fresh = try await CaseModel.find(model.requireID(), on: db) ?? model
            throw StaleVersion(current: fresh)
        }

        CaseLookup.apply(after, to: model)
        model.version = expectedVersion + 1
        model.updatedAt = now
        if after.status != before.status { Self.stampStatus(after.status, on: model, at: now) }
        try await model.update(on: db)

        let caseID = try model.requireID()
        if after.tags != before.tags {
            try await CaseTagModel.query(on: db).filter(\.$caseID == caseID).delete()
            for tag in after.tags { try await CaseTagModel(caseID: caseID, tag: tag).create(on: db) }
        }
        if after.subject != before.subject {
            try await services.store.search.add(caseID: caseID, visibility: .public, text: after.subject, on: sql)
        }
        var timeline = try await TimelineWriter.start(caseID: caseID, actorID: current.user.id, at: now, on: db)
        try await timeline.record(changes, on: db)
        return model
    }

    /// Keeps the solved and closed stamps in step with the status.
    static func stampStatus(_ status: CaseStatus, on model: CaseModel, at now: Date) {
        switch status {
        case .solved: model.solvedAt = now
        case .closed: model.closedAt = now
        default: if status.isActive { model.solvedAt = nil }
        }
    }
}
