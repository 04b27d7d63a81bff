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
        let store = request.store
        // Every request asks this, so it runs inline on SQLite rather than through the connection's thread pool.
        if let bearer = request.headers.bearerAuthorization {
            let hash = TokenHasher.hash(bearer.token)
            guard let found = try await store.reading({ db in try await ActorRepository.holder(ofTokenHash: hash, on: store.sql(db)) })
            else { return nil }
            if let token = found.tokenID { try await noteTokenUse(token, lastUsed: found.tokenUsedAt, request) }
            return found.actor
        } else if request.hasSession, let raw = request.session.data[sessionKey], let id = UUID(uuidString: raw) {
            return try await store.reading { db in try await ActorRepository.activePerson(id, on: store.sql(db)) }?.actor
        }
        return nil
    }

    /// Keeps when and from where a token was last used, to the quarter hour: people see it beside their tokens.
    private static func noteTokenUse(_ id: UUID, lastUsed: Date?, _ request: Request) async throws {
        let now = request.now
        if let lastUsed, now.timeIntervalSince(lastUsed) < 15 * 60 { return }
        let client = request.clientAddress
        let store = request.store
        try await store.write { db in try await ActorRepository.noteTokenUse(id, at: now, client: client, on: store.sql(db)) }
    }
}
