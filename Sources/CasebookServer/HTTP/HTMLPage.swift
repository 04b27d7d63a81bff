import Vapor

/// Server-rendered pages outside the API (inspection tags, surveys, the public knowledge base, printouts): strict headers, no scripts.
enum HTMLPage {
    static let securityHeaders: HTTPHeaders = [
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    ]

    /// A page with the strict headers; `allowForm` lets its forms post back to this site (surveys, feedback).
    static func response(_ body: String, allowForm: Bool = false) -> Response {
        var headers = securityHeaders
        if allowForm {
            headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        }
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
