import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Records a technician's visit: checks the answers against the checklist, signs the work order and,
/// when a check failed, opens a follow-up incident on the asset (raised before any customer noticed).
struct CompleteWorkOrder {
    let services: CasebookServices

    func run(_ id: UUID, _ input: WorkOrderCompletion, by current: CurrentActor, on db: any Database) async throws -> UUID {
        let sql = services.store.sql(db)
        let now = services.clock()
        let signature = try Validate.name(input.signature, field: "signature")
        // Taking the row's write lock first means two technicians cannot both complete it.
        guard let order = try await WorkOrderRepository.lock(id, on: sql) else { throw DomainError.notFound("The work order") }
        guard order.status == "open" else { throw DomainError.conflict("This work order is already completed.") }
        let items = order.checklist
        let result = try Checklist.evaluate(items, answers: input.answers)
        let assetID = order.assetID
        var caseID: UUID?
        if result == .failed {
            caseID = try await openFollowUp(assetID: assetID, organisationID: order.organisationID,
                                            items: items, answers: input.answers, due: order.dueOn,
                                            by: current, on: db, now: now)
        }
        try await WorkOrderRepository.complete(id, answers: input.answers, result: result, by: current.user.id, signature: signature, followUp: caseID,
                                               at: now, on: sql)
        return id
    }

    private func openFollowUp(assetID: UUID, organisationID: UUID, items: [ChecklistItem], answers: [ChecklistAnswer], due: String,
                              by current: CurrentActor, on db: any Database, now: Date) async throws -> UUID {
        let sql = services.store.sql(db)
        guard let asset = try await AssetRepository.find(assetID, on: sql) else { throw DomainError.notFound("The asset") }
        let name = try asset.decode(column: "name", as: String.self)
        let criticality = AssetCriticality(rawValue: try asset.decode(column: "criticality", as: String.self)) ?? .normal
        let texts = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.text) })
        let failed = answers.filter { $0.outcome == .fail }.map { "- \(texts[$0.itemID] ?? $0.itemID): \($0.note ?? "")" }
        var input = CaseCreateRequest(subject: String("Failed inspection: \(name)".prefix(250)),
                                      description: "The maintenance visit due \(due) found:\n" + failed.joined(separator: "\n"))
        input.organisationID = organisationID
        input.priority = criticality == .missionCritical ? .urgent : criticality == .high ? .high : .normal
        input.productID = try asset.decode(column: "product_id", as: UUID?.self)
        input.productVersionID = try asset.decode(column: "product_version_id", as: UUID?.self)
        input.channel = .system
        input.tags = ["maintenance"]
        let record = try await OpenCase(services: services).run(input, by: current, on: db)
        try await AssetRepository.linkCase(assetID: assetID, caseID: record.id, at: now, on: sql)
        try await ProactiveIncidentRepository.record(caseID: record.id, source: "maintenance", organisationID: organisationID, assetID: assetID, at: now, on: sql)
        return record.id
    }
}
