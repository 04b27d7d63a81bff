import Fluent
import Foundation

/// A team of agents that cases can be routed to, at a support tier.
final class GroupModel: Model, @unchecked Sendable {
    static let schema = "groups"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "tier") var tier: Int
    @Field(key: "description") var description: String
    @Field(key: "created_at") var createdAt: Date
    /// When the group stopped taking new cases; the cases it holds stay with it.
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, tier: Int, description: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.tier = tier
        self.description = description
        self.createdAt = createdAt
    }
}

/// One agent's membership of one group.
final class GroupMembershipModel: Model, @unchecked Sendable {
    static let schema = "group_memberships"

    @ID(key: .id) var id: UUID?
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "user_id") var userID: UUID

    init() {}

    init(id: UUID? = nil, groupID: UUID, userID: UUID) {
        self.id = id
        self.groupID = groupID
        self.userID = userID
    }
}
