import Fluent

/// Keeps small inbound messages' bytes in their row, so one commit makes many of them durable at once.
struct AddInboundRaw: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inbound_messages").field("raw", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inbound_messages").deleteField("raw").update()
    }
}
