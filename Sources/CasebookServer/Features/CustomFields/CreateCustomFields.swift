import Fluent

struct CreateCustomFields: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CustomFieldModel.schema)
            .id()
            .field("key", .string, .required)
            .field("label", .string, .required)
            .field("kind", .string, .required)
            .field("required", .bool, .required)
            .field("choices", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CustomFieldModel.schema).delete()
    }
}
