import CasebookCore
import Fluent
import Vapor

/// `POST /session`: browser sign-in with email, password and, for people who use one, the second factor's code.
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("session", use: signIn)
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        // No one can be signed in as someone else from another site (login CSRF).
        try req.requireJSON("Sign in")
        let input = try req.content.decode(SessionCreateRequest.self)
        switch try await PasswordSignIn.attempt(email: input.email, password: input.password, code: input.code, on: req) {
        case let .throttled(wait):
            var problem = Problem(status: .tooManyRequests, slug: "too-many-requests", title: "Too many sign-in attempts",
                                  detail: "Too many failed sign-ins for this address or from this client; try again in \(wait) seconds.")
            problem.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            throw problem
        case .refused:
            throw Problem(status: .unauthorized, slug: "sign-in-failed", title: "Sign-in failed",
                          detail: "The email address, the password or the code is wrong.")
        case .needsCode:
            throw Problem(status: .unauthorized, slug: "two-factor-required", title: "Second factor required",
                          detail: "This account uses two-factor sign-in: send the code from the authenticator app (or a recovery code) as 'code'.")
        case let .signedIn(user, mustEnrol):
            try await req.beginSession(for: try user.requireID(), mustEnrol: mustEnrol)
            let response = try await UserView(user).encodeResponse(for: req)
            // Changes made with this session cookie must echo this token (X-CSRF-Token).
            response.headers.replaceOrAdd(name: CSRFProtection.header, value: CSRFProtection.token(for: req))
            return response
        }
    }
}

/// `DELETE /session` and `GET /me`: the signed-in caller.
struct MeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.delete("session", use: signOut)
        routes.get("me", use: me)
    }

    @Sendable func signOut(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        if current.viaSession {
            try await req.audit(.signOut, "sign-out", actorID: current.user.id, actorEmail: current.user.email)
        }
        req.session.destroy()
        return .noContent
    }

    @Sendable func me(req: Request) async throws -> UserView {
        guard let user = try await UserModel.find(try req.current.user.id, on: req.db) else { throw Problem.unauthorized() }
        return UserView(user)
    }
}
