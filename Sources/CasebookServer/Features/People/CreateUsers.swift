import Fluent

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("phone", .string)
            .field("language", .string, .required)
            .field("time_zone", .string, .required)
            .field("organisation_id", .uuid, .references(OrganisationModel.schema, "id"))
            .field("tier", .int)
            .field("password_hash", .string)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).delete()
    }
}
