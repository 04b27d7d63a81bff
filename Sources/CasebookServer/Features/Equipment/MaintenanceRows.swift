import CasebookCore
import Foundation
import SQLKit

/// Reading maintenance plans and work orders from their rows.
enum MaintenanceRows {
    static func plan(_ row: any SQLRow) throws -> MaintenancePlanView {
        var interval: MaintenanceInterval?
        if let count = try row.decode(column: "interval_count", as: Int?.self),
           let unit = try row.decode(column: "interval_unit", as: String?.self).flatMap(MaintenanceInterval.Unit.init(rawValue:)) {
            interval = MaintenanceInterval(count: count, unit: unit)
        }
        return MaintenancePlanView(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            assetID: try row.decode(column: "asset_id", as: UUID?.self), assetType: try row.decode(column: "asset_type", as: String?.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID?.self), interval: interval,
            startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
            leadDays: try row.decode(column: "lead_days", as: Int?.self), calendarID: try row.decode(column: "calendar_id", as: UUID?.self),
            checklist: try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
            assigneeID: try row.decode(column: "assignee_id", as: UUID?.self), active: try row.decode(column: "active", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func workOrder(_ row: any SQLRow, today: LocalDate, prefix: String) throws -> WorkOrderView {
        let due = LocalDate(parsing: try row.decode(column: "due_on", as: String.self)) ?? LocalDate(dayNumber: 0)
        let status = try row.decode(column: "status", as: String.self)
        let answers = try row.decode(column: "answers", as: String?.self).map { try JSONDecoder().decode([ChecklistAnswer].self, from: Data($0.utf8)) }
        let followUp = try row.decode(column: "follow_up_number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description }
        return WorkOrderView(
            id: try row.decode(column: "id", as: UUID.self), planID: try row.decode(column: "plan_id", as: UUID.self),
            assetID: try row.decode(column: "asset_id", as: UUID.self), assetName: try row.decode(column: "asset_name", as: String?.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID.self), dueOn: due, status: status,
            overdue: status == "open" && due < today, assigneeID: try row.decode(column: "assignee_id", as: UUID?.self),
            checklist: try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
            answers: answers, result: try row.decode(column: "result", as: String?.self).flatMap(InspectionResult.init(rawValue:)),
            completedBy: try row.decode(column: "completed_by", as: UUID?.self), completedAt: try row.decode(column: "completed_at", as: Date?.self),
            signature: try row.decode(column: "signature", as: String?.self), followUpCase: followUp,
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// Work orders with their asset's name and follow-up case number, for lists and single reads.
    static let workOrderSelect = """
        SELECT w.*, a.name AS asset_name, c.number AS follow_up_number FROM work_orders w
        JOIN assets a ON a.id = w.asset_id LEFT JOIN cases c ON c.id = w.case_id
        """

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
}
