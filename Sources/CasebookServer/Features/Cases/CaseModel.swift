import Fluent
import Foundation

/// A case row: the current state; its history lives in `timeline_entries`.
final class CaseModel: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: Int
    @Field(key: "type") var type: String
    @Field(key: "subject") var subject: String
    @Field(key: "status") var status: String
    @Field(key: "priority") var priority: String
    @Field(key: "priority_rank") var priorityRank: Int
    @Field(key: "requester_id") var requesterID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "product_id") var productID: UUID?
    @OptionalField(key: "product_version_id") var productVersionID: UUID?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "group_id") var groupID: UUID?
    @Field(key: "tier") var tier: Int
    @Field(key: "tags") var tags: String
    @Field(key: "custom_fields") var customFields: String
    @Field(key: "reopen_count") var reopenCount: Int
    @Field(key: "channel") var channel: String
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "first_response_at") var firstResponseAt: Date?
    @OptionalField(key: "solved_at") var solvedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "tone") var tone: String?

    init() {}
}

/// One tag on one case, kept beside the case row so tag filters use an index.
final class CaseTagModel: Model, @unchecked Sendable {
    static let schema = "case_tags"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "tag") var tag: String

    init() {}

    init(id: UUID? = nil, caseID: UUID, tag: String) {
        self.id = id
        self.caseID = caseID
        self.tag = tag
    }
}
