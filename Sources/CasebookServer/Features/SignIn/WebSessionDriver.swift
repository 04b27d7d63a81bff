import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Keeps browser sessions in `web_sessions`. A session with nothing in it is never stored, so anonymous visits and
/// made-up cookies leave no rows; the cookie's id is kept only as a SHA-256, so a copy of the database opens no session.
struct WebSessionDriver: AsyncSessionDriver {
    /// How long a session lives without use.
    static let lifetime: TimeInterval = 12 * 3_600
    /// An unchanged session is written again only when this much of its life has passed, not on every request.
    static let renewAfter: TimeInterval = 15 * 60

    private struct ReadKey: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: RandomToken.make())
        guard !data.snapshot.isEmpty else { return id }
        try await store(id, data, for: request, isNew: true)
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard RandomToken.isWellFormed(sessionID.string) else { return nil }
        let store = request.store
        let hash = TokenHasher.hash(sessionID.string)
        let now = request.now
        let row = try await store.reading { db in
            try await store.sql(db).select().columns("data", "expires_at").from("web_sessions")
                .where("id_hash", .equal, hash).where("expires_at", .greaterThan, now).first()
        }
        guard let row, let data = try? JSONDecoder().decode([String: String].self, from: Data(row.decode(column: "data", as: String.self).utf8))
        else { return nil }
        let expires = try row.decode(column: "expires_at", as: Date.self)
        // Remembered so an unchanged session is not written back (see `updateSession`).
        if expires.timeIntervalSince(now) > Self.lifetime - Self.renewAfter { request.storage[ReadKey.self] = data }
        return SessionData(initialData: data)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if data.snapshot.isEmpty {
            try await deleteSession(sessionID, for: request)
        } else if request.storage[ReadKey.self] != data.snapshot {
            try await store(sessionID, data, for: request, isNew: false)
        }
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        let hash = TokenHasher.hash(sessionID.string)
        let store = request.store
        try await store.write { db in try await store.sql(db).delete(from: "web_sessions").where("id_hash", .equal, hash).run() }
    }

    private func store(_ id: SessionID, _ data: SessionData, for request: Request, isNew: Bool) async throws {
        let hash = TokenHasher.hash(id.string)
        let json = String(decoding: try JSONEncoder().encode(data.snapshot), as: UTF8.self)
        let userID = data[ActorAuthenticator.sessionKey].flatMap(UUID.init(uuidString:))
        let now = request.now
        let client = request.clientAddress
        let device = request.headers.first(name: .userAgent).map { String($0.prefix(300)) }
        let store = request.store
        try await store.write { db in
            let sql = store.sql(db)
            if isNew {
                try await sql.insert(into: "web_sessions")
                    .columns("id_hash", "user_id", "data", "created_at", "expires_at", "last_seen_at", "client", "device")
                    .values(SQLBind(hash), SQLBind(userID), SQLBind(json), SQLBind(now), SQLBind(now.addingTimeInterval(Self.lifetime)),
                            SQLBind(now), SQLBind(client), SQLBind(device)).run()
            } else {
                // Only an update: a session ended meanwhile (a password change elsewhere) must not come back.
                try await sql.update("web_sessions").set("data", to: json).set("user_id", to: userID).set("last_seen_at", to: now)
                    .set("client", to: client).set("expires_at", to: now.addingTimeInterval(Self.lifetime)).where("id_hash", .equal, hash).run()
            }
        }
    }
}

/// Listing and ending sessions: everyone's lapsed ones, a person's own when their password changes, one by one from
/// the Account page.
enum WebSessions {
    /// One signed-in session as people see it; `id` is the start of the cookie's hash, which opens nothing.
    struct Listed: Sendable {
        var id: String
        var userID: UUID
        var email: String
        var createdAt: Date
        var lastSeenAt: Date?
        var expiresAt: Date
        var client: String?
        var device: String?
    }

    static let idLength = 32

    /// The signed-in sessions of `userID` (or of everyone), most recently used first.
    static func list(of userID: UUID?, now: Date, on sql: any SQLDatabase) async throws -> [Listed] {
        let owner: SQLQueryString = userID.map { "AND s.user_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT s.id_hash, s.user_id, u.email, s.created_at, s.last_seen_at, s.expires_at, s.client, s.device
            FROM web_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.expires_at > \(bind: now) \(owner) ORDER BY s.created_at DESC LIMIT 1000
            """).all()
        return try rows.map { row in
            Listed(id: String(try row.decode(column: "id_hash", as: String.self).prefix(idLength)), userID: try row.decode(column: "user_id", as: UUID.self),
                   email: try row.decode(column: "email", as: String.self),
                   createdAt: try row.decode(column: "created_at", as: Date.self), lastSeenAt: try row.decode(column: "last_seen_at", as: Date?.self),
                   expiresAt: try row.decode(column: "expires_at", as: Date.self), client: try row.decode(column: "client", as: String?.self),
                   device: try row.decode(column: "device", as: String?.self))
        }
    }

    /// The listed id of the session whose cookie id is `sessionID`.
    static func listedID(of sessionID: SessionID) -> String { String(TokenHasher.hash(sessionID.string).prefix(idLength)) }

    /// Ends the session listed as `id`, when it belongs to `userID` (or to anyone, for `userID` nil); whether one ended.
    static func end(listed id: String, of userID: UUID?, on sql: any SQLDatabase) async throws -> Bool {
        guard id.count == idLength, id.allSatisfy(\.isHexDigit) else { return false }
        var delete = sql.delete(from: "web_sessions").where("id_hash", .like, id.lowercased() + "%")
        if let userID { delete = delete.where("user_id", .equal, userID) }
        return try await !delete.returning("user_id").all().isEmpty
    }

    /// Ends every session of `userID` but the one with `keeping` as its cookie id.
    static func end(of userID: UUID, keeping: SessionID?, on sql: any SQLDatabase) async throws {
        var delete = sql.delete(from: "web_sessions").where("user_id", .equal, userID)
        if let keeping { delete = delete.where("id_hash", .notEqual, TokenHasher.hash(keeping.string)) }
        try await delete.run()
    }

    /// Deletes sessions that lapsed before `now`.
    static func sweep(now: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "web_sessions").where("expires_at", .lessThan, now).run()
    }
}
