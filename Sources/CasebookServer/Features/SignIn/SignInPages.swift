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
        let next = Self.safeNext(form.next)
        func again(_ status: HTTPStatus, _ message: String) async throws -> Response {
            try await req.view.render("login", LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: next, email: email, error: message))
                .encodeResponse(status: status, for: req)
        }
        switch try await PasswordSignIn.attempt(email: email, password: form.password, on: req) {
        case let .throttled(wait):
            let response = try await again(.tooManyRequests, req.text("too_many_attempts", "Too many attempts."))
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        case .refused:
            return try await again(.unauthorized, req.text("sign_in_failed", "Sign-in failed."))
        case let .signedIn(user):
            try await req.beginSession(for: try user.requireID())
            let isStaff = (Role(rawValue: user.role) ?? .customer).isStaff
            return req.redirect(to: next.isEmpty ? (isStaff ? "/desk" : "/portal") : next)
        }
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    /// Only a path on this site, never `//elsewhere`, a full URL, or a path a browser would read as one once it drops
    /// tabs and line breaks and turns backslashes into slashes (`/\t/evil` is `//evil` to a browser).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.count < 500, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" && $0.isASCII }),
              let parsed = URLComponents(string: next), parsed.scheme == nil, parsed.host == nil
        else { return "" }
        return next
    }
}
