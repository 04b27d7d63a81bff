import Fluent
import SQLKit

/// Outgoing webhooks and chat channels: who is told about what, and every delivery and attempt.
struct CreateWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_subscriptions")
            .id()
            .field("name", .string, .required)
            .field("url", .string, .required)
            // json (signed Casebook payload), slack, mattermost or teams.
            .field("format", .string, .required)
            // Comma-separated event names.
            .field("events", .string, .required)
            .field("group_id", .uuid)
            .field("language", .string, .required)
            .field("secret", .string, .required)
            .field("allow_private", .bool, .required)
            .field("active", .bool, .required)
            .field("pause_after", .int, .required)
            .field("consecutive_failures", .int, .required)
            .field("paused_at", .datetime)
            .field("pause_reason", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("webhook_deliveries")
            .id()
            .field("subscription_id", .uuid, .required, .references("webhook_subscriptions", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("case_id", .uuid)
            .field("case_reference", .string)
            .field("body", .string, .required)
            // pending, delivered, failed (gave up), held (the subscription is paused)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("response_code", .int)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("last_attempt_at", .datetime)
            .field("delivered_at", .datetime)
            .create()
        try await database.schema("webhook_attempts")
            .id()
            .field("delivery_id", .uuid, .required, .references("webhook_deliveries", "id", onDelete: .cascade))
            .field("attempt", .int, .required)
            .field("at", .datetime, .required)
            .field("response_code", .int)
            .field("response_excerpt", .string)
            .field("error", .string)
            .field("duration_ms", .int, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "webhook_deliveries_by_subscription").on("webhook_deliveries")
            .column("subscription_id").column("created_at").run()
        try await sql.create(index: "webhook_attempts_by_delivery").on("webhook_attempts").column("delivery_id").column("attempt").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_attempts").delete()
        try await database.schema("webhook_deliveries").delete()
        try await database.schema("webhook_subscriptions").delete()
    }
}
