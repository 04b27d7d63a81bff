import Fluent
import SQLKit

/// The outbox: every email Casebook sends is a row here before any transport sees it.
struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbound_messages")
            .id()
            .field("case_id", .uuid)
            .field("kind", .string, .required)
            .field("sender", .string, .required)
            .field("recipients", .string, .required)
            .field("subject", .string, .required)
            .field("message_id", .string, .required)
            .field("raw", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("bounce_reason", .string)
            .unique(on: "message_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "outbound_messages_case").on("outbound_messages").column("case_id").column("created_at").run()
        try await sql.create(index: "outbound_messages_status").on("outbound_messages").column("status").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbound_messages").delete()
    }
}
