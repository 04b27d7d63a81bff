import CasebookCore
import Vapor

/// `POST /language`: the language switch at the foot of every page.
///
/// A signed-in person's choice goes into their profile, so their pages and the mail Casebook writes them follow it;
/// everyone also gets a cookie, so the sign-in page speaks their language before and after they sign in.
struct LanguageSwitch: RouteCollection {
    static let cookieName = "casebook_language"

    func boot(routes: any RoutesBuilder) throws {
        routes.post("language", use: choose)
    }

    struct Form: Content {
        var language: String?
        var back: String?
    }

    @Sendable func choose(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let language = form.language, WebText.languages.contains(language) else {
            throw DomainError.invalid("language", "must be one of \(WebText.languages.joined(separator: ", "))")
        }
        // Open to visitors too, so the signed-in person is looked up here rather than by the sign-in middleware.
        if let current = try await ActorAuthenticator.resolve(req), current.viaSession {
            let (store, userID) = (req.store, current.user.id)
            try await store.write { db in try await LanguageChoiceRepository.setLanguage(language, for: userID, on: store.sql(db)) }
        }
        let back = SignInPages.safeNext(form.back)
        let response = req.redirect(to: back.isEmpty ? "/" : back)
        response.cookies[Self.cookieName] = HTTPCookies.Value(string: language, maxAge: 365 * 86_400,
                                                              path: "/", isSecure: req.casebook.configuration.secureCookies,
                                                              isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

extension Request {
    /// The language a visitor chose with the switch, if it is one Casebook speaks.
    var chosenLanguage: String? {
        guard let language = cookies[LanguageSwitch.cookieName]?.string, WebText.languages.contains(language) else { return nil }
        return language
    }
}
