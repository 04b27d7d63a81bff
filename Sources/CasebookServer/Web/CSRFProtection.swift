import Foundation
import Vapor

/// Synchroniser-token CSRF protection: each session holds a random token that every form posts back
/// (`_csrf`) and every script sends (`X-CSRF-Token`); an unsafe request without the matching token is refused.
struct CSRFProtection: AsyncMiddleware {
    static let sessionKey = "casebook.csrf"
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            let expected = request.session.data[Self.sessionKey]
            let sent = request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.field))
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else {
                throw Abort(.forbidden, reason: "This form has expired or did not come from Casebook. Reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }

    /// The session's token, made on first use.
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = RandomToken.make()
        request.session.data[sessionKey] = token
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
