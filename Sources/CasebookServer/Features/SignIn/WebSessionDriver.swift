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
        let found = try await store.reading { db in try await WebSessionRepository.live(idHash: hash, at: now, on: store.sql(db)) }
        guard let found, let data = try? JSONDecoder().decode([String: String].self, from: Data(found.data.utf8)) else { return nil }
        let expires = found.expiresAt
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
        try await store.write { db in try await WebSessionRepository.delete(idHash: hash, on: store.sql(db)) }
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
                try await WebSessionRepository.insert(idHash: hash, userID: userID, data: json, at: now, expiresAt: now.addingTimeInterval(Self.lifetime),
                                                      client: client, device: device, on: sql)
            } else {
                // Only an update: a session ended meanwhile (a password change elsewhere) must not come back.
                try await WebSessionRepository.update(idHash: hash, userID: userID, data: json, at: now, expiresAt: now.addingTimeInterval(Self.lifetime),
                                                      client: client, on: sql)
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
        try await WebSessionRepository.list(of: userID, at: now, idLength: idLength, on: sql)
    }

    /// The listed id of the session whose cookie id is `sessionID`.
    static func listedID(of sessionID: SessionID) -> String { String(TokenHasher.hash(sessionID.string).prefix(idLength)) }

    /// Ends the session listed as `id`, when it belongs to `userID` (or to anyone, for `userID` nil); whether one ended.
    static func end(listed id: String, of userID: UUID?, on sql: any SQLDatabase) async throws -> Bool {
        guard id.count == idLength, id.allSatisfy(\.isHexDigit) else { return false }
        return try await WebSessionRepository.delete(hashPrefix: id.lowercased(), of: userID, on: sql)
    }

    /// Ends every session of `userID` but the one with `keeping` as its cookie id.
    static func end(of userID: UUID, keeping: SessionID?, on sql: any SQLDatabase) async throws {
        try await WebSessionRepository.delete(of: userID, keeping: keeping.map { TokenHasher.hash($0.string) }, on: sql)
    }

    /// Deletes sessions that lapsed before `now`.
    static func sweep(now: Date, on sql: any SQLDatabase) async throws {
        try await WebSessionRepository.deleteLapsed(before: now, on: sql)
    }
}
