import Foundation
import SQLKit

/// Browser sessions in `web_sessions`, found by the SHA-256 of the cookie's id.
enum WebSessionRepository {
    /// A live session's data (JSON) and when it lapses.
    static func live(idHash: String, at now: Date, on sql: any SQLDatabase) async throws -> (data: String, expiresAt: Date)? {
        try await sql.select().columns("data", "expires_at").from("web_sessions")
            .where("id_hash", .equal, idHash).where("expires_at", .greaterThan, now).first().map { row in
                (try row.decode(column: "data", as: String.self), try row.decode(column: "expires_at", as: Date.self))
            }
    }

    static func insert(idHash: String, userID: UUID?, data: String, at now: Date, expiresAt: Date, client: String?, device: String?,
                       on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "web_sessions")
            .columns("id_hash", "user_id", "data", "created_at", "expires_at", "last_seen_at", "client", "device")
            .values(SQLBind(idHash), SQLBind(userID), SQLBind(data), SQLBind(now), SQLBind(expiresAt), SQLBind(now), SQLBind(client), SQLBind(device))
            .run()
    }

    /// Writes a session's new data and life; a session ended meanwhile stays ended.
    static func update(idHash: String, userID: UUID?, data: String, at now: Date, expiresAt: Date, client: String?, on sql: any SQLDatabase) async throws {
        try await sql.update("web_sessions").set("data", to: data).set("user_id", to: userID).set("last_seen_at", to: now)
            .set("client", to: client).set("expires_at", to: expiresAt).where("id_hash", .equal, idHash).run()
    }

    static func delete(idHash: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "web_sessions").where("id_hash", .equal, idHash).run()
    }

    /// Live sessions of one person (or everyone), newest first.
    static func list(of userID: UUID?, at now: Date, idLength: Int, on sql: any SQLDatabase) async throws -> [WebSessions.Listed] {
        let owner: SQLQueryString = userID.map { "AND s.user_id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT s.id_hash, s.user_id, u.email, s.created_at, s.last_seen_at, s.expires_at, s.client, s.device
            FROM web_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.expires_at > \(bind: now) \(owner) ORDER BY s.created_at DESC LIMIT 1000
            """).all().map { row in
                WebSessions.Listed(id: String(try row.decode(column: "id_hash", as: String.self).prefix(idLength)),
                                   userID: try row.decode(column: "user_id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                                   createdAt: try row.decode(column: "created_at", as: Date.self),
                                   lastSeenAt: try row.decode(column: "last_seen_at", as: Date?.self),
                                   expiresAt: try row.decode(column: "expires_at", as: Date.self), client: try row.decode(column: "client", as: String?.self),
                                   device: try row.decode(column: "device", as: String?.self))
            }
    }

    /// Ends the session whose hash starts with `prefix`, if it is `userID`'s (or anyone's for nil); whether one ended.
    static func delete(hashPrefix prefix: String, of userID: UUID?, on sql: any SQLDatabase) async throws -> Bool {
        var delete = sql.delete(from: "web_sessions").where("id_hash", .like, prefix + "%")
        if let userID { delete = delete.where("user_id", .equal, userID) }
        return try await !delete.returning("user_id").all().isEmpty
    }

    /// Ends every session of a person but the one with hash `keeping`.
    static func delete(of userID: UUID, keeping idHash: String?, on sql: any SQLDatabase) async throws {
        var delete = sql.delete(from: "web_sessions").where("user_id", .equal, userID)
        if let idHash { delete = delete.where("id_hash", .notEqual, idHash) }
        try await delete.run()
    }

    static func deleteLapsed(before now: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "web_sessions").where("expires_at", .lessThan, now).run()
    }
}
