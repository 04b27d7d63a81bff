import CasebookCore
import Foundation
import SQLKit

/// Work orders a maintenance plan issues, and their completion by a technician.
enum WorkOrderRepository {
    /// What completing a work order needs from it.
    struct Locked: Sendable {
        let status: String
        let checklist: [ChecklistItem]
        let assetID: UUID
        let organisationID: UUID
        let dueOn: String
    }

    /// Takes the work order's row lock (so two technicians cannot both complete it) and reads it.
    static func lock(_ id: UUID, on sql: any SQLDatabase) async throws -> Locked? {
        try await sql.raw("""
            UPDATE work_orders SET status = status WHERE id = \(bind: id) RETURNING status, checklist, asset_id, organisation_id, due_on
            """).first().map { row in
                Locked(status: try row.decode(column: "status", as: String.self),
                       checklist: try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
                       assetID: try row.decode(column: "asset_id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                       dueOn: try row.decode(column: "due_on", as: String.self))
            }
    }

    /// Signs a work order off with the answers given and, when a check failed, the follow-up case.
    static func complete(_ id: UUID, answers: [ChecklistAnswer], result: InspectionResult, by userID: UUID, signature: String, followUp caseID: UUID?,
                         at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("work_orders")
            .set("status", to: "done").set("answers", to: try MaintenanceRepository.json(answers)).set("result", to: result.rawValue)
            .set("completed_by", to: userID).set("completed_at", to: now).set("signature", to: signature).set("case_id", to: caseID)
            .where("id", .equal, id).run()
    }
}
