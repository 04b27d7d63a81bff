import Fluent

struct CreateGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupModel.schema)
            .id()
            .field("name", .string, .required)
            .field("tier", .int, .required)
            .field("description", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(GroupMembershipModel.schema)
            .id()
            .field("group_id", .uuid, .required, .references(GroupModel.schema, "id"))
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id"))
            .unique(on: "group_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupMembershipModel.schema).delete()
        try await database.schema(GroupModel.schema).delete()
    }
}
