import Fluent

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema)
            .id()
            .field("name", .string, .required)
            .field("domain", .string)
            .field("account_manager_id", .uuid)
            .field("shares_cases", .bool, .required)
            .field("seats", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema).delete()
    }
}
