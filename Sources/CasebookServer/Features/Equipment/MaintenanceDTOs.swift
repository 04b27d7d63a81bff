import CasebookCore
import Foundation
import Vapor

/// Body of `POST /maintenance/plans` and `PATCH /maintenance/plans/{id}`.
struct MaintenancePlanWrite: Decodable, Sendable {
    var name: String?
    var assetID: UUID?
    var assetType: String?
    var organisationID: PatchValue<UUID> = .absent
    /// null: follow each asset's criticality (daily, weekly, monthly, quarterly).
    var interval: PatchValue<MaintenanceInterval> = .absent
    var startsOn: LocalDate?
    var leadDays: PatchValue<Int> = .absent
    var calendarID: PatchValue<UUID> = .absent
    var checklist: [ChecklistItem]?
    var assigneeID: PatchValue<UUID> = .absent
    var active: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, interval, checklist, active
        case assetID = "asset_id", assetType = "asset_type", organisationID = "organisation_id", startsOn = "starts_on"
        case leadDays = "lead_days", calendarID = "calendar_id", assigneeID = "assignee_id"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        assetID = try c.decodeIfPresent(UUID.self, forKey: .assetID)
        assetType = try c.decodeIfPresent(String.self, forKey: .assetType)
        organisationID = try c.decodePatch(UUID.self, forKey: .organisationID)
        interval = try c.decodePatch(MaintenanceInterval.self, forKey: .interval)
        startsOn = try c.decodeIfPresent(LocalDate.self, forKey: .startsOn)
        leadDays = try c.decodePatch(Int.self, forKey: .leadDays)
        calendarID = try c.decodePatch(UUID.self, forKey: .calendarID)
        checklist = try c.decodeIfPresent([ChecklistItem].self, forKey: .checklist)
        assigneeID = try c.decodePatch(UUID.self, forKey: .assigneeID)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
    }
}

/// A maintenance plan as the API shows it.
struct MaintenancePlanView: Content {
    var id: UUID
    var name: String
    var assetID: UUID?
    var assetType: String?
    var organisationID: UUID?
    var interval: MaintenanceInterval?
    var startsOn: LocalDate
    var leadDays: Int?
    var calendarID: UUID?
    var checklist: [ChecklistItem]
    var assigneeID: UUID?
    var active: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, interval, checklist, active
        case assetID = "asset_id", assetType = "asset_type", organisationID = "organisation_id", startsOn = "starts_on"
        case leadDays = "lead_days", calendarID = "calendar_id", assigneeID = "assignee_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// A work order: one maintenance visit to one asset.
struct WorkOrderView: Content {
    var id: UUID
    var planID: UUID
    var assetID: UUID
    var assetName: String?
    var organisationID: UUID
    var dueOn: LocalDate
    var status: String
    var overdue: Bool
    var assigneeID: UUID?
    var checklist: [ChecklistItem]
    var answers: [ChecklistAnswer]?
    var result: InspectionResult?
    var completedBy: UUID?
    var completedAt: Date?
    var signature: String?
    var followUpCase: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, status, overdue, checklist, answers, result, signature
        case planID = "plan_id", assetID = "asset_id", assetName = "asset_name", organisationID = "organisation_id", dueOn = "due_on"
        case assigneeID = "assignee_id", completedBy = "completed_by", completedAt = "completed_at", followUpCase = "follow_up_case"
        case createdAt = "created_at"
    }
}

/// Body of `POST /maintenance/work-orders/{id}/complete`: the technician's answers, signed with their name.
struct WorkOrderCompletion: Decodable, Sendable {
    var answers: [ChecklistAnswer]
    var signature: String

    enum CodingKeys: String, CodingKey, CaseIterable { case answers, signature }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        answers = try c.decode([ChecklistAnswer].self, forKey: .answers)
        signature = try c.decode(String.self, forKey: .signature)
    }
}

/// What one run of the planner did.
struct MaintenanceRunView: Content {
    var generated: Int
    var overdueNotified: Int

    enum CodingKeys: String, CodingKey {
        case generated
        case overdueNotified = "overdue_notified"
    }
}
