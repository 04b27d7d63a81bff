import CasebookCore
import Fluent
import Vapor

/// `POST /session`: browser sign-in with email and password.
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("session", use: signIn)
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let input = try req.content.decode(SessionCreateRequest.self)
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        let user = try await UserModel.query(on: req.db).filter(\.$email == email).first()
        // Verify against a dummy hash when the user is unknown, so timing does not reveal who exists.
        let hash = user?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5jQ8p0Z6sA3Qj6tq2hH0l2wK3G3pXyK"
        let matches = (try? await req.password.async.verify(input.password, created: hash)) ?? false
        guard let user, user.active, user.passwordHash != nil, matches else {
            throw Problem(status: .unauthorized, slug: "sign-in-failed", title: "Sign-in failed",
                          detail: "The email address or the password is wrong.")
        }
        req.session.data[ActorAuthenticator.sessionKey] = try user.requireID().uuidString
        let response = try await UserView(user).encodeResponse(for: req)
        // Changes made with this session cookie must echo this token (X-CSRF-Token).
        response.headers.replaceOrAdd(name: CSRFProtection.header, value: CSRFProtection.token(for: req))
        return response
    }
}

/// `DELETE /session` and `GET /me`: the signed-in caller.
struct MeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.delete("session", use: signOut)
        routes.get("me", use: me)
    }

    @Sendable func signOut(req: Request) async throws -> HTTPStatus {
        req.session.destroy()
        return .noContent
    }

    @Sendable func me(req: Request) async throws -> UserView {
        guard let user = try await UserModel.find(try req.current.user.id, on: req.db) else { throw Problem.unauthorized() }
        return UserView(user)
    }
}
