import CasebookCore
import Foundation
import SQLKit

/// Password-reset links (stored hashed), and the account changes that spending one makes.
enum PasswordResetRepository {
    /// An active person who may be sent a link.
    struct Holder: Sendable {
        let id: UUID
        let name: String
        let language: String
    }

    static func activePerson(email: String, on sql: any SQLDatabase) async throws -> Holder? {
        try await sql.select().columns("id", "language", "name").from("users").where("email", .equal, email)
            .where("active", .equal, true).first().map { row in
                Holder(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                       language: try row.decode(column: "language", as: String.self))
            }
    }

    /// Stores a new link for the person, spending any older one still open.
    static func issue(tokenHash: String, for userID: UUID, at now: Date, expiresAt: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("password_resets").set("used_at", to: now).where("user_id", .equal, userID).where("used_at", .is, SQLLiteral.null).run()
        try await sql.insert(into: "password_resets").columns("token_hash", "user_id", "created_at", "expires_at")
            .values(SQLBind(tokenHash), SQLBind(userID), SQLBind(now), SQLBind(expiresAt)).run()
    }

    /// The person an unused, unexpired link is for.
    static func holder(tokenHash: String, at now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("user_id").from("password_resets").where("token_hash", .equal, tokenHash)
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, now).first()?.decode(column: "user_id", as: UUID.self)
    }

    /// Spends the link, sets the new password hash and revokes the person's API tokens; returns their address.
    static func spend(tokenHash: String, userID: UUID, passwordHash: String, at now: Date, on sql: any SQLDatabase) async throws -> String? {
        try await sql.update("password_resets").set("used_at", to: now).where("token_hash", .equal, tokenHash).run()
        try await sql.update("users").set("password_hash", to: passwordHash).where("id", .equal, userID).run()
        try await sql.update(ApiTokenModel.schema).set("revoked_at", to: now).where("user_id", .equal, userID)
            .where("revoked_at", .is, SQLLiteral.null).run()
        return try await sql.select().column("email").from("users").where("id", .equal, userID).first()?.decode(column: "email", as: String.self)
    }
}
