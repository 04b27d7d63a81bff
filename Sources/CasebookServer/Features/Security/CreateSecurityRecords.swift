import Fluent
import SQLKit

/// The audit log (append-only, enforced by the database), password-reset links, two-factor secrets and recovery codes,
/// sign-in settings, and where and on what each browser session was opened.
struct CreateSecurityRecords: AsyncMigration {
    /// Tables whose rows are never changed or removed, whatever asks.
    static let appendOnly: Set<String> = ["audit_events"]

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_email", .string)
            .field("client", .string)
            // e.g. "sign_in", "sign_in_failed", "change", "export", "privacy".
            .field("category", .string, .required)
            // What was done: "POST /api/v1/webhooks", "sign-in refused", …
            .field("action", .string, .required)
            .field("subject_type", .string)
            .field("subject_id", .string)
            .field("outcome", .int, .required)
            .field("before", .string)
            .field("after", .string)
            .create()
        try await database.schema("password_resets")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required)
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema("site_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        let added: [(table: String, column: String, type: DatabaseSchema.DataType)] = [
            ("users", "totp_secret", .string), ("users", "totp_enabled_at", .datetime), ("users", "totp_last_step", .int64),
            ("web_sessions", "client", .string), ("web_sessions", "device", .string), ("web_sessions", "last_seen_at", .datetime),
            ("api_tokens", "last_used_at", .datetime), ("api_tokens", "last_used_client", .string),
        ]
        for (table, column, type) in added { try await database.schema(table).field(.string(column), type).update() }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_events_at").on("audit_events").column("at").run()
        try await sql.create(index: "audit_events_actor").on("audit_events").column("actor_id").column("at").run()
        try await sql.create(index: "password_resets_user").on("password_resets").column("user_id").run()
        try await sql.create(index: "recovery_codes_user").on("recovery_codes").column("user_id").run()
        // The audit log only grows: the database itself refuses to change or delete an entry.
        try await AppendOnlyTable.protect("audit_events", on: sql)
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_events", "password_resets", "recovery_codes", "site_settings"] { try await database.schema(table).delete() }
    }
}
