import Fluent
import SQLKit

/// Browser sessions kept by Casebook itself: the hash of the cookie's id, whose session it is and when it lapses, so
/// a password change can end a person's sessions and lapsed ones can be swept. Replaces Fluent's `_fluent_sessions`,
/// which kept neither; sessions open at the upgrade end and people sign in again.
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("id_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid)
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "web_sessions_user").on("web_sessions").column("user_id").run()
        try await sql.create(index: "web_sessions_expiry").on("web_sessions").column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").delete()
    }
}
