import Fluent
import SQLKit

/// Raw inbound email, kept before it is acknowledged, and the Message-ID on messages for threading.
struct CreateInboundMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inbound_messages")
            .id()
            .field("sha256", .string, .required)
            .field("message_id", .string)
            .field("sender", .string)
            .field("subject", .string, .required)
            .field("size", .int, .required)
            .field("status", .string, .required)
            .field("error", .string)
            .field("case_id", .uuid)
            .field("received_at", .datetime, .required)
            .field("processed_at", .datetime)
            .unique(on: "sha256")
            .create()
        try await database.schema("messages").field("email_message_id", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "messages_email_message_id").on("messages").column("email_message_id").run()
        try await sql.create(index: "inbound_messages_status").on("inbound_messages").column("status").column("received_at").run()
        try await sql.create(index: "inbound_messages_sender").on("inbound_messages").column("sender").column("received_at").run()
        try await sql.create(index: "inbound_messages_message_id").on("inbound_messages").column("message_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("messages").deleteField("email_message_id").update()
        try await database.schema("inbound_messages").delete()
    }
}
