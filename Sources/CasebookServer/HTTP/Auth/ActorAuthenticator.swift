import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Resolves who is calling from a bearer token or the browser session, and requires someone.
struct ActorAuthenticator: AsyncMiddleware {
    static let sessionKey = "casebook.user"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = try await Self.resolve(request) else { throw Problem.unauthorized() }
        if current.viaSession && ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            // A browser session sends its CSRF token with every change; a bearer token needs none (no ambient credential).
            guard let expected = request.session.data[CSRFProtection.sessionKey], let sent = request.headers.first(name: CSRFProtection.header),
                  CSRFProtection.constantTimeEqual(expected, sent) else {
                throw Problem(status: .forbidden, slug: "csrf", title: "CSRF token missing",
                              detail: "Requests signed in by cookie must send the session's token in an X-CSRF-Token header (returned at sign-in).")
            }
        }
        if current.viaSession, request.session.data[Request.enrolKey] != nil, !Self.allowedBeforeEnrolment(request.url.path) {
            throw Problem(status: .forbidden, slug: "two-factor-enrolment-required", title: "Set up two-factor sign-in first",
                          detail: "Staff must use a second factor here: enrol an authenticator app at /account (POST /api/v1/me/two-factor) before anything else.")
        }
        request.setCurrent(current)
        return try await next.respond(to: request)
    }

    /// What someone who still has to enrol a second factor may call: who they are, enrolment itself, and sign-out.
    static func allowedBeforeEnrolment(_ path: String) -> Bool {
        path == "/api/v1/me" || path.hasPrefix("/api/v1/me/two-factor") || path == "/api/v1/session"
    }

    /// One query finds the token's (or session's) active user and whether their organisation shares cases.
    static func resolve(_ request: Request) async throws -> CurrentActor? {
        let columns = """
            users.id AS id, users.email AS email, users.name AS name, users.role AS role,
            users.organisation_id AS organisation_id, users.language AS language, organisations.shares_cases AS shares
            """
        let from = "FROM users LEFT JOIN organisations ON organisations.id = users.organisation_id"
        let query: SQLQueryString
        let viaSession: Bool
        if let bearer = request.headers.bearerAuthorization {
            let hash = TokenHasher.hash(bearer.token)
            query = """
                SELECT \(unsafeRaw: columns), api_tokens.id AS token_id, api_tokens.last_used_at AS token_used \(unsafeRaw: from)
                JOIN api_tokens ON api_tokens.user_id = users.id
                WHERE api_tokens.token_hash = \(bind: hash) AND api_tokens.revoked_at IS NULL AND users.active = \(bind: true)
                """
            viaSession = false
        } else if request.hasSession, let raw = request.session.data[sessionKey], let id = UUID(uuidString: raw) {
            query = "SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE users.id = \(bind: id) AND users.active = \(bind: true)"
            viaSession = true
        } else {
            return nil
        }
        // Every request asks this, so it runs inline on SQLite rather than through the connection's thread pool.
        let store = request.store
        let row = try await store.reading { db in try await store.sql(db).raw(query).first() }
        guard let row else { return nil }
        var current = CurrentActor(
            id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .customer,
            organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
            sharesCases: try row.decode(column: "shares", as: Bool?.self) ?? false, viaSession: viaSession)
        current.language = try row.decode(column: "language", as: String?.self)
        if !viaSession { try await noteTokenUse(row, request) }
        return current
    }

    /// Keeps when and from where a token was last used, to the quarter hour: people see it beside their tokens.
    private static func noteTokenUse(_ row: any SQLRow, _ request: Request) async throws {
        let now = request.now
        if let used = try row.decode(column: "token_used", as: Date?.self), now.timeIntervalSince(used) < 15 * 60 { return }
        let id = try row.decode(column: "token_id", as: UUID.self)
        let client = request.clientAddress
        let store = request.store
        try await store.write { db in
            try await store.sql(db).update("api_tokens").set("last_used_at", to: now).set("last_used_client", to: client).where("id", .equal, id).run()
        }
    }
}
