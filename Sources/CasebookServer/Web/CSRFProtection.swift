import Foundation
import Vapor

/// Synchroniser-token CSRF protection: each session holds a random token that every form posts back
/// (`_csrf`) and every script sends (`X-CSRF-Token`); an unsafe request without the matching token is refused.
///
/// Someone not signed in has no session (one is stored only at sign-in), so their token lives in a cookie of its own
/// that the form must echo (double submit); `SameSite=Strict` keeps other sites from sending it.
struct CSRFProtection: AsyncMiddleware {
    static let sessionKey = "casebook.csrf"
    static let field = "_csrf"
    static let header = "X-CSRF-Token"
    static let cookie = "casebook_csrf"

    private struct NewCookieKey: StorageKey { typealias Value = String }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            let expected = Self.existingToken(for: request)
            let sent = request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.field))
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else {
                throw Abort(.forbidden, reason: "This form has expired or did not come from Casebook. Reload the page and try again.")
            }
        }
        let response = try await next.respond(to: request)
        if let token = request.storage[NewCookieKey.self], !request.hasSignedInSession {
            response.cookies[Self.cookie] = HTTPCookies.Value(string: token, maxAge: 60 * 60 * 12, path: "/",
                                                              isSecure: request.casebook.configuration.secureCookies,
                                                              isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    /// The token the caller must send: the session's when signed in, else the visitor's cookie.
    private static func existingToken(for request: Request) -> String? {
        if request.hasSignedInSession { return request.session.data[sessionKey] }
        return request.cookies[cookie]?.string.nilIfEmpty.flatMap { RandomToken.isWellFormed($0) ? $0 : nil }
    }

    /// The caller's token, made on first use.
    static func token(for request: Request) -> String {
        if let token = existingToken(for: request) ?? request.storage[NewCookieKey.self] { return token }
        let token = RandomToken.make()
        if request.hasSignedInSession {
            request.session.data[sessionKey] = token
        } else {
            request.storage[NewCookieKey.self] = token
        }
        return token
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

extension Request {
    /// Whether a signed-in person's session came with this request (looking never creates one).
    var hasSignedInSession: Bool { hasSession && session.data[ActorAuthenticator.sessionKey] != nil }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
