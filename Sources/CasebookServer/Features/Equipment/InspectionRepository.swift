import CasebookCore
import Foundation
import SQLKit

/// What an asset's inspection tag says: the last visit and the next one due.
enum InspectionRepository {
    static func last(assetID: UUID, on sql: any SQLDatabase) async throws -> InspectionSummary? {
        guard let row = try await sql.raw("""
            SELECT w.id, w.completed_at, w.result, w.due_on, u.name FROM work_orders w LEFT JOIN users u ON u.id = w.completed_by
            WHERE w.asset_id = \(bind: assetID) AND w.status = 'done' ORDER BY w.completed_at DESC LIMIT 1
            """).first() else { return nil }
        return InspectionSummary(workOrderID: try row.decode(column: "id", as: UUID.self), completedAt: try row.decode(column: "completed_at", as: Date.self),
                                 completedBy: try row.decode(column: "name", as: String?.self) ?? "—",
                                 result: InspectionResult(rawValue: try row.decode(column: "result", as: String.self)) ?? .passed,
                                 dueOn: LocalDate(parsing: try row.decode(column: "due_on", as: String.self)) ?? LocalDate(dayNumber: 0))
    }

    /// The earliest open work order's due date (dates sort as text in ISO form).
    static func nextDue(assetID: UUID, on sql: any SQLDatabase) async throws -> LocalDate? {
        try await sql.raw("SELECT MIN(due_on) AS due FROM work_orders WHERE asset_id = \(bind: assetID) AND status = 'open'").first()
            .flatMap { try $0.decode(column: "due", as: String?.self) }.flatMap(LocalDate.init(parsing:))
    }
}
