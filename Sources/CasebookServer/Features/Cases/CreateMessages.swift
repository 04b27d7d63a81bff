import Fluent
import SQLKit

/// Messages, their attachments and the append-only timeline.
struct CreateMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MessageModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("author_id", .uuid, .references(UserModel.schema, "id"))
            .field("visibility", .string, .required)
            .field("channel", .string, .required)
            .field("text", .string, .required)
            .field("html", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(AttachmentModel.schema)
            .id()
            .field("message_id", .uuid, .required, .references(MessageModel.schema, "id"))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(TimelineEntryModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("actor_id", .uuid, .references(UserModel.schema, "id"))
            .field("field", .string)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("message_id", .uuid, .references(MessageModel.schema, "id"))
            .field("visibility", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id", "position")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "messages_case").on(MessageModel.schema).column("case_id").column("created_at").run()
        try await sql.create(index: "attachments_message").on(AttachmentModel.schema).column("message_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TimelineEntryModel.schema).delete()
        try await database.schema(AttachmentModel.schema).delete()
        try await database.schema(MessageModel.schema).delete()
    }
}
