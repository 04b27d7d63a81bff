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
            if request.headers.first(name: Self.header) == nil { try await Self.collectBody(of: request) }
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

    /// The largest form a page takes (a reply or a request with attachments), as its routes collect it.
    static let largestForm: ByteCount = "40mb"

    /// The form's token is in its body, which may still be on its way when this runs (the route collects it only
    /// after every middleware): without collecting it first, a form whose body came in a later packet than its
    /// headers, as a large attachment always does, was refused as expired and everything typed was lost.
    private static func collectBody(of request: Request) async throws {
        guard request.body.data == nil else { return }
        let limit = request.headers.contentType == .formData ? largestForm.value : request.application.routes.defaultMaxBodySize.value
        _ = try await request.body.collect(max: limit).get()
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
