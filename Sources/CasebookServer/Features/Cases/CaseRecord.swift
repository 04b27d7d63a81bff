import CasebookCore
import Foundation
import SQLKit

/// A case row read and written with plain SQL.
///
/// The hot paths (open, read, change, search) use this instead of `CaseModel`: Fluent builds
/// every model through runtime reflection, which cost about 0.7 ms a query here, more than the
/// query itself. `CaseModel` stays for migrations, export and import.
struct CaseRecord: Sendable, Equatable {
    var id: UUID
    var number: Int
    var type: CaseType
    var subject: String
    var status: CaseStatus
    var priority: Priority
    var priorityRank: Int
    var requesterID: UUID
    var organisationID: UUID?
    var productID: UUID?
    var productVersionID: UUID?
    var categoryID: UUID?
    var assigneeID: UUID?
    var groupID: UUID?
    var tier: Int
    var tags: String
    var customFields: String
    var reopenCount: Int
    var channel: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var firstResponseAt: Date?
    var solvedAt: Date?
    var closedAt: Date?
    /// The tone of the customer's latest message (angry, frustrated, neutral, positive).
    var tone: String?

    static let columns = [
        "id", "number", "type", "subject", "status", "priority", "priority_rank", "requester_id", "organisation_id", "product_id",
        "product_version_id", "category_id", "assignee_id", "group_id", "tier", "tags", "custom_fields", "reopen_count", "channel",
        "version", "created_at", "updated_at", "first_response_at", "solved_at", "closed_at", "tone",
    ]
    static let columnList = SQLColumnList(columns)

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        number = try row.decode(column: "number", as: Int.self)
        type = try StoredValue.decode(CaseType.self, column: "type", in: row)
        subject = try row.decode(column: "subject", as: String.self)
        status = try StoredValue.decode(CaseStatus.self, column: "status", in: row)
        priority = try StoredValue.decode(Priority.self, column: "priority", in: row)
        priorityRank = try row.decode(column: "priority_rank", as: Int.self)
        requesterID = try row.decode(column: "requester_id", as: UUID.self)
        organisationID = try row.decode(column: "organisation_id", as: UUID?.self)
        productID = try row.decode(column: "product_id", as: UUID?.self)
        productVersionID = try row.decode(column: "product_version_id", as: UUID?.self)
        categoryID = try row.decode(column: "category_id", as: UUID?.self)
        assigneeID = try row.decode(column: "assignee_id", as: UUID?.self)
        groupID = try row.decode(column: "group_id", as: UUID?.self)
        tier = try row.decode(column: "tier", as: Int.self)
        tags = try row.decode(column: "tags", as: String.self)
        customFields = try row.decode(column: "custom_fields", as: String.self)
        reopenCount = try row.decode(column: "reopen_count", as: Int.self)
        channel = try row.decode(column: "channel", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
        firstResponseAt = try row.decode(column: "first_response_at", as: Date?.self)
        solvedAt = try row.decode(column: "solved_at", as: Date?.self)
        closedAt = try row.decode(column: "closed_at", as: Date?.self)
        tone = try row.decode(column: "tone", as: String?.self)
    }

    init(id: UUID, number: Int, channel: String, at now: Date, requesterID: UUID) {
        self.id = id
        self.number = number
        type = .incident
        subject = ""
        status = .new
        priority = .normal
        priorityRank = 1
        self.requesterID = requesterID
        tier = 1
        tags = "[]"
        customFields = "{}"
        reopenCount = 0
        self.channel = channel
        version = 1
        createdAt = now
        updatedAt = now
    }

    /// Values in `columns` order, typed for `RowInsert`.
    var row: [RowValue] {
        [.id(id), .integer(number), .text(type.rawValue), .text(subject), .text(status.rawValue), .text(priority.rawValue), .integer(priorityRank), .id(requesterID),
         RowValue(organisationID), RowValue(productID), RowValue(productVersionID), RowValue(categoryID), RowValue(assigneeID),
         RowValue(groupID), .integer(tier), .text(tags), .text(customFields), .integer(reopenCount), .text(channel), .integer(version),
         .date(createdAt), .date(updatedAt), RowValue(firstResponseAt), RowValue(solvedAt), RowValue(closedAt), RowValue(tone)]
    }
}
