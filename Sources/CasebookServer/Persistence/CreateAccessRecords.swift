import Fluent

/// API tokens, idempotency records and counters.
struct CreateAccessRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApiTokenModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("hint", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(IdempotencyRecordModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id"))
            .field("key", .string, .required)
            .field("request_hash", .string, .required)
            .field("status", .int, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "key")
            .create()
        try await database.schema(CounterModel.schema)
            .field("name", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()
        try await CounterModel(name: ReferenceAllocator.counterName, value: 0).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CounterModel.schema).delete()
        try await database.schema(IdempotencyRecordModel.schema).delete()
        try await database.schema(ApiTokenModel.schema).delete()
    }
}
