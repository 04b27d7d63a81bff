import CasebookCore
import Foundation
import Vapor

/// `/sessions`: where one is signed in — when, from which address, on which browser — and ending any of them.
/// People see and end their own; admins anyone's.
struct SessionListController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let sessions = routes.grouped("sessions")
        sessions.get(use: list)
        sessions.post("end-others", use: endOthers)
        sessions.delete(":id", use: end)
    }

    @Sendable func list(req: Request) async throws -> [SessionView] {
        let current = try req.current
        let owner = try Self.owner(req, current)
        let here = current.viaSession ? req.session.id.map(WebSessions.listedID) : nil
        return try await WebSessions.list(of: owner, now: req.now, on: req.store.sql).map { SessionView($0, current: $0.id == here) }
    }

    @Sendable func end(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        let id = req.parameters.get("id") ?? ""
        let owner: UUID? = AccessPolicy.decide(.manageSecurity, for: current.actor) == .allowed ? nil : current.user.id
        let store = req.store
        guard try await store.write({ db in try await WebSessions.end(listed: id, of: owner, on: store.sql(db)) }) else {
            throw Problem.notFound("The session")
        }
        return .noContent
    }

    /// Ends every session of the caller but this one (and, when signed in by token, all of them).
    @Sendable func endOthers(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        let keep = current.viaSession ? req.session.id : nil
        let store = req.store
        try await store.write { db in try await WebSessions.end(of: current.user.id, keeping: keep, on: store.sql(db)) }
        return .noContent
    }

    /// Whose sessions to list: the caller's, or for an admin anyone's (`user_id`) or everyone's (`all=true`).
    private static func owner(_ req: Request, _ current: CurrentActor) throws -> UUID? {
        let asked = req.query[String.self, at: "user_id"].flatMap { $0.isEmpty ? nil : $0 }
        let everyone = req.query[Bool.self, at: "all"] ?? false
        guard asked != nil || everyone else { return current.user.id }
        try req.authorize(.manageSecurity)
        guard let asked else { return nil }
        guard let id = UUID(uuidString: asked) else { throw Problem.badRequest("Query parameter 'user_id' must be an id.") }
        return id
    }
}

/// One signed-in session.
struct SessionView: Content {
    var id: String
    var userID: UUID
    var userEmail: String?
    var createdAt: Date
    var lastSeenAt: Date?
    var expiresAt: Date
    var client: String?
    var device: String?
    /// Whether it is the session this request came with.
    var current: Bool

    init(_ session: WebSessions.Listed, current: Bool) {
        id = session.id
        userID = session.userID
        userEmail = session.email
        createdAt = session.createdAt
        lastSeenAt = session.lastSeenAt
        expiresAt = session.expiresAt
        client = session.client
        device = session.device.map(DeviceName.describe)
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case id, client, device, current
        case userID = "user_id", userEmail = "user_email", createdAt = "created_at", lastSeenAt = "last_seen_at", expiresAt = "expires_at"
    }
}
