import Fluent

/// Company groups can put staff in Casebook's groups, as they give roles: a map from a claim value or directory
/// group to a Casebook group's name, on both providers and directories.
struct AddGroupMaps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_providers").field("group_map", .string).update()
        try await database.schema("directories").field("group_map", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("directories").deleteField("group_map").update()
        try await database.schema("sign_in_providers").deleteField("group_map").update()
    }
}
