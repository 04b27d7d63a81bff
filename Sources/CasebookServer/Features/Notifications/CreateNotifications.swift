import Fluent
import SQLKit

/// Agents' notices (the in-app list), what each agent wants to hear about, and who follows which case.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("agent_notifications")
            .id()
            .field("user_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            // A `NotificationKind`.
            .field("kind", .string, .required)
            // Who did it; none for a rule or the service-level clock.
            .field("actor_id", .uuid)
            // The first words of the message or note it is about.
            .field("excerpt", .string)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await database.schema("notification_preferences")
            .id()
            .field("user_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("in_app", .bool, .required)
            .field("email", .bool, .required)
            .unique(on: "user_id", "kind")
            .create()
        try await database.schema("case_followers")
            .id()
            .field("case_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id", "user_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The list reads a person's newest first; the header counts their unread ones on every page.
        try await sql.create(index: "agent_notifications_user_created").on("agent_notifications").column("user_id").column("created_at").run()
        try await sql.create(index: "agent_notifications_user_read").on("agent_notifications").column("user_id").column("read_at").run()
        try await sql.create(index: "case_followers_user").on("case_followers").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["case_followers", "notification_preferences", "agent_notifications"] { try await database.schema(table).delete() }
    }
}
