import CasebookCore
import Fluent
import Foundation
import Vapor

/// `/login` (and its second step, `/login/code`) and `/logout` for people in a browser; the same checks as the API,
/// with the same throttle.
struct SignInPages: RouteCollection {
    /// How long the code page waits after the password was right.
    static let pendingLifetime: TimeInterval = 5 * 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: signIn)
        routes.post("login", "code", use: secondStep)
        routes.post("logout", use: signOut)
        routes.get { req in req.redirect(to: "/desk") }
    }

    struct LoginPage: Encodable {
        var page: PageChrome
        var next: String
        var email: String
        var error: String?
        /// The second step: ask for the code instead of the password.
        var askCode = false
        var notice: String?
        /// Company sign-in options (OpenID Connect providers).
        var providers: [ProviderLink] = []
        /// The login box's label when a directory lets people type a user name instead of an address.
        var loginLabel: String?
    }

    struct ProviderLink: Encodable {
        var href: String
        var name: String
    }

    /// The sign-in page with an error, for other ways of signing in that end here (company sign-in).
    static func loginPage(_ req: Request, status: HTTPStatus, error: String) async throws -> Response {
        var page = LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: "", email: "", error: error)
        try await addSignInOptions(&page, req, next: "")
        return try await req.view.render("login", page).encodeResponse(status: status, for: req)
    }

    /// Company sign-in buttons, and a login box that says it takes a user name when a directory is active.
    static func addSignInOptions(_ page: inout LoginPage, _ req: Request, next: String) async throws {
        page.providers = try await providerLinks(req, next: next)
        if try await !DirectoryRepository.all(activeOnly: true, on: req.store.sql).isEmpty {
            page.loginLabel = req.text("email_or_user_name", "Email address or user name")
        }
    }

    static func providerLinks(_ req: Request, next: String) async throws -> [ProviderLink] {
        try await SignInProviderRepository.all(activeOnly: true, on: req.store.sql).map { provider in
            ProviderLink(href: "/login/oidc/\(provider.id.uuidString.lowercased())" + (next.isEmpty ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                         name: provider.name)
        }
    }

    @Sendable func form(req: Request) async throws -> View {
        let notice = req.query[String.self, at: "reset"] == "1" ? req.text("reset_done", "Your new password is set, and every session ended. Sign in with it.") : nil
        let next = Self.safeNext(req.query[String.self, at: "next"])
        var page = LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: next, email: "", error: nil, notice: notice)
        try await Self.addSignInOptions(&page, req, next: next)
        return try await req.view.render("login", page)
    }

    struct LoginForm: Content {
        var email: String
        var password: String
        var next: String?
    }

    struct CodeForm: Content {
        var code: String
        var next: String?
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = form.email.trimmingCharacters(in: .whitespaces).lowercased()
        if req.hasSession { req.session.data[Request.pendingKey] = nil }
        let outcome = try await PasswordSignIn.attempt(email: email, password: form.password, on: req)
        return try await answer(outcome, email: email, next: Self.safeNext(form.next), req)
    }

    /// The code from the authenticator app (or a recovery code), for a sign-in whose password was right moments ago.
    @Sendable func secondStep(req: Request) async throws -> Response {
        let form = try req.content.decode(CodeForm.self)
        let next = Self.safeNext(form.next)
        guard let pending = Self.pending(req), let user = try await UserModel.find(pending, on: req.db), user.active else {
            req.session.data[Request.pendingKey] = nil
            let page = LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: next, email: "",
                                 error: req.text("code_step_lapsed", "That took too long; sign in again."))
            return try await req.view.render("login", page).encodeResponse(status: .unauthorized, for: req)
        }
        let outcome = try await PasswordSignIn.secondStep(user, code: form.code, on: req)
        return try await answer(outcome, email: user.email, next: next, req)
    }

    private func answer(_ outcome: PasswordSignIn.Outcome, email: String, next: String, _ req: Request) async throws -> Response {
        func again(_ status: HTTPStatus, _ message: String?, askCode: Bool = false) async throws -> Response {
            var page = LoginPage(page: req.chrome(req.text("sign_in", "Sign in"), area: "login"), next: next, email: email, error: message, askCode: askCode)
            if !askCode { try await Self.addSignInOptions(&page, req, next: next) }
            return try await req.view.render("login", page).encodeResponse(status: status, for: req)
        }
        let waiting = Self.pending(req) != nil
        switch outcome {
        case let .throttled(wait):
            let response = try await again(.tooManyRequests, req.text("too_many_attempts", "Too many attempts."), askCode: waiting)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        case .refused:
            return try await again(.unauthorized, req.text(waiting ? "code_wrong" : "sign_in_failed", waiting ? "That code is not right." : "Sign-in failed."),
                                   askCode: waiting)
        case let .needsCode(user):
            let until = req.now.addingTimeInterval(Self.pendingLifetime).timeIntervalSince1970
            req.session.data[Request.pendingKey] = "\(try user.requireID().uuidString)|\(Int(until))"
            return try await again(.ok, nil, askCode: true)
        case let .signedIn(user, mustEnrol):
            try await req.beginSession(for: try user.requireID(), mustEnrol: mustEnrol)
            if mustEnrol { return req.redirect(to: "/account?enrol=1") }
            let isStaff = (Role(rawValue: user.role) ?? .customer).isStaff
            return req.redirect(to: next.isEmpty ? (isStaff ? "/desk" : "/portal") : next)
        }
    }

    /// The person whose password was right, while the code step is still open.
    static func pending(_ req: Request) -> UUID? {
        guard req.hasSession, let value = req.session.data[Request.pendingKey] else { return nil }
        let parts = value.split(separator: "|")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let until = Double(parts[1]),
              req.now.timeIntervalSince1970 < until else { return nil }
        return id
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        if let current = try? await ActorAuthenticator.resolve(req), current.viaSession {
            try await req.audit(.signOut, "sign-out", actorID: current.user.id, actorEmail: current.user.email)
        }
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
