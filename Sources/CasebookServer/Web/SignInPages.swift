import CasebookCore
import Fluent
import Foundation
import Vapor

/// `/login` and `/logout` for people in a browser; the same password check as the API, with sign-in throttling.
struct SignInPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
        routes.get { req in req.redirect(to: "/desk") }
    }

    struct LoginPage: Encodable {
        var page: PageChrome
        var next: String
        var email: String
        var error: String?
    }

    @Sendable func form(req: Request) async throws -> View {
        try await req.view.render("login", LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: Self.safeNext(req.query[String.self, at: "next"]),
                                                     email: "", error: nil))
    }

    struct LoginForm: Content {
        var email: String
        var password: String
        var next: String?
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = form.email.trimmingCharacters(in: .whitespaces).lowercased()
        let client = req.remoteAddress?.ipAddress ?? "unknown"
        let next = Self.safeNext(form.next)
        let sql = req.store.sql
        let now = req.now
        func again(_ status: HTTPStatus, _ message: String) async throws -> Response {
            let response = try await req.view.render("login", LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: next, email: email, error: message))
                .encodeResponse(status: status, for: req)
            return response
        }
        if let wait = try await LoginThrottle.retryAfter(email: email, client: client, now: now, on: sql) {
            let response = try await again(.tooManyRequests, req.text("too_many_attempts", "Too many attempts."))
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        }
        let user = try await UserModel.query(on: req.db).filter(\.$email == email).first()
        // Verify against a dummy hash when the user is unknown, so timing does not reveal who exists.
        let hash = user?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5jQ8p0Z6sA3Qj6tq2hH0l2wK3G3pXyK"
        let matches = (try? await req.password.async.verify(form.password, created: hash)) ?? false
        guard let user, user.active, user.passwordHash != nil, matches else {
            try await req.store.write { db in try await LoginThrottle.recordFailure(email: email, client: client, now: now, on: req.store.sql(db)) }
            return try await again(.unauthorized, req.text("sign_in_failed", "Sign-in failed."))
        }
        try await req.store.write { db in try await LoginThrottle.recordSuccess(email: email, on: req.store.sql(db)) }
        // A new session id on sign-in, so a session fixed before sign-in is worthless.
        if let old = req.session.id { try await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data[ActorAuthenticator.sessionKey] = try user.requireID().uuidString
        let isStaff = (Role(rawValue: user.role) ?? .customer).isStaff
        return req.redirect(to: next.isEmpty ? (isStaff ? "/desk" : "/portal") : next)
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    /// Only a path on this site, never `//elsewhere` or a full URL.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count < 500 else { return "" }
        return next
    }
}
