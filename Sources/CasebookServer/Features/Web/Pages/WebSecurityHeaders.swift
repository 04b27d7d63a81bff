import Vapor

/// Headers every console, portal and admin page carries: scripts and styles only from this site, no framing, no sniffing.
struct WebSecurityHeaders: AsyncMiddleware {
    /// Remote images are refused unless the agent asked to see them on this page (see `allowRemoteImages`).
    static func policy(remoteImages: Bool) -> String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:\(remoteImages ? " https: http:" : ""); "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = try await WebErrorPage.response(for: error, request: request)
        }
        Self.apply(to: response, for: request)
        return response
    }

    /// Puts the pages' headers on `response` (also used for the error page of a path no route knows).
    static func apply(to response: Response, for request: Request) {
        let remote = request.storage[RemoteImagesKey.self] ?? false
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.policy(remoteImages: remote))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.first(name: .cacheControl) == nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
    }

    struct RemoteImagesKey: StorageKey { typealias Value = Bool }
}

extension Request {
    /// Lets this one page load remote images (the agent pressed "show images").
    func allowRemoteImages() { storage[WebSecurityHeaders.RemoteImagesKey.self] = true }
}
