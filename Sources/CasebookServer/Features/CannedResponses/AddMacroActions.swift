import Fluent

/// A canned response can also change the case (a macro): status, priority, assignee, group and tags, kept as JSON.
struct AddMacroActions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("canned_responses").field("actions", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("canned_responses").deleteField("actions").update()
    }
}
