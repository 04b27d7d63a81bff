import Fluent
import SQLKit

/// The team's own mailboxes Casebook fetches from, with where each fetch left off and who is fetching it now.
struct CreateMailAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mail_accounts")
            .id()
            .field("name", .string, .required)
            .field("protocol", .string, .required)
            .field("host", .string, .required)
            .field("port", .int, .required)
            .field("security", .string, .required)
            .field("verify_certificates", .bool, .required)
            .field("ca_certificates", .string)
            .field("username", .string, .required)
            .field("password", .string)
            // OAuth2 (Microsoft 365, Gmail): a refresh token is kept; access tokens are fetched with it and cached.
            .field("auth", .string, .required)
            .field("oauth_token_url", .string)
            .field("oauth_client_id", .string)
            .field("oauth_client_secret", .string)
            .field("oauth_scope", .string)
            .field("oauth_refresh_token", .string)
            .field("oauth_access_token", .string)
            .field("oauth_expires_at", .datetime)
            .field("folder", .string, .required)
            .field("after_import", .string, .required)
            .field("move_to", .string)
            .field("first_import", .string, .required)
            .field("poll_seconds", .int, .required)
            .field("active", .bool, .required)
            // Where fetching left off: nothing at or below last_uid in this UIDVALIDITY is fetched again.
            .field("uid_validity", .int64)
            .field("last_uid", .int64, .required)
            .field("last_fetch_at", .datetime)
            .field("last_error", .string)
            // Since when every attempt to reach the server failed, and when admins were told.
            .field("failing_since", .datetime)
            .field("alerted_at", .datetime)
            // One fetcher per account across instances: whoever holds an unexpired lease.
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        // POP3 has no UIDs that order messages, only unique ids: the ones already taken, and whether each was applied.
        try await database.schema("mail_account_uids")
            .field("account_id", .uuid, .required, .references("mail_accounts", "id", onDelete: .cascade))
            .field("uid", .string, .required)
            .field("applied", .bool, .required)
            .field("taken_at", .datetime, .required)
            .unique(on: "account_id", "uid")
            .create()
        // Which mailbox a message came from: its figures are counted from what was stored, so they stay exact however
        // often a fetch is cut short and read again.
        try await database.schema("inbound_messages").field("mail_account_id", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "inbound_messages_mail_account").on("inbound_messages").column("mail_account_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "inbound_messages_mail_account").run() }
        try await database.schema("inbound_messages").deleteField("mail_account_id").update()
        try await database.schema("mail_account_uids").delete()
        try await database.schema("mail_accounts").delete()
    }
}
