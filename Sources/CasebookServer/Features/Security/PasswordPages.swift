import CasebookCore
import Foundation
import Vapor

/// `/password/forgot` and `/password/reset`: asking for a link by mail and choosing a new password with it.
struct PasswordPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let password = routes.grouped("password")
        password.get("forgot", use: forgotForm)
        password.post("forgot", use: forgot)
        password.get("reset", use: resetForm)
        password.post("reset", use: reset)
    }

    struct ForgotPage: Encodable {
        var page: PageChrome
        var email: String
        var error: String?
        var sent: Bool
    }

    struct ResetPage: Encodable {
        var page: PageChrome
        var token: String
        var error: String?
        /// The link is spent or lapsed: offer a new one instead of the form.
        var lapsed: Bool
    }

    @Sendable func forgotForm(req: Request) async throws -> View {
        try await req.view.render("password-forgot", ForgotPage(page: req.chrome(req.text("forgot_title", "Forgot your password?"), area: "login"),
                                                                email: "", error: nil, sent: false))
    }

    @Sendable func forgot(req: Request) async throws -> Response {
        let email = (try? req.content.get(String.self, at: "email"))?.trimmingCharacters(in: .whitespaces) ?? ""
        let chrome = req.chrome(req.text("forgot_title", "Forgot your password?"), area: "login")
        guard email.contains("@") else {
            return try await req.view.render("password-forgot", ForgotPage(page: chrome, email: email, error: req.text("forgot_need_email", "Type the email address you sign in with."),
                                                                           sent: false)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        switch try await PasswordResetController.ask(email: email, on: req) {
        case let .throttled(wait):
            let response = try await req.view.render("password-forgot", ForgotPage(page: chrome, email: email, error: req.text("too_many_attempts", "Too many attempts."),
                                                                                   sent: false)).encodeResponse(status: .tooManyRequests, for: req)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        case .sent:
            return try await req.view.render("password-forgot", ForgotPage(page: chrome, email: email, error: nil, sent: true)).encodeResponse(for: req)
        }
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"] ?? ""
        let valid = try await PasswordReset.holder(of: token, now: req.now, on: req.store.sql) != nil
        let page = ResetPage(page: req.chrome(req.text("reset_title", "Choose a new password"), area: "login"), token: valid ? token : "", error: nil, lapsed: !valid)
        // The link's token does not leak to other sites through a Referer: every page says "same-origin".
        return try await req.view.render("password-reset", page).encodeResponse(status: valid ? .ok : .gone, for: req)
    }

    @Sendable func reset(req: Request) async throws -> Response {
        let token = (try? req.content.get(String.self, at: "token")) ?? ""
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        func refuse(_ message: String, lapsed: Bool = false) async throws -> Response {
            let page = ResetPage(page: req.chrome(req.text("reset_title", "Choose a new password"), area: "login"), token: lapsed ? "" : token,
                                 error: message, lapsed: lapsed)
            return try await req.view.render("password-reset", page).encodeResponse(status: lapsed ? .gone : .unprocessableEntity, for: req)
        }
        guard password == again else { return try await refuse(req.text("reset_mismatch", "The two passwords differ.")) }
        do {
            try await PasswordResetController.complete(token: token, password: password, on: req)
        } catch let error as DomainError {
            if case let .invalid(field, message) = error {
                return try await refuse(field == "token" ? message : req.text("reset_weak", "Use 10 to 200 characters."), lapsed: field == "token")
            }
            throw error
        }
        if req.hasSession { req.session.destroy() }
        let response = req.redirect(to: "/login?reset=1")
        return response
    }
}
