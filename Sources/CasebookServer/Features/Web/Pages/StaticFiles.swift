import Vapor

/// Serves the bundle's static files (`/static/…`), and asks the file system about no other path.
///
/// Vapor's FileMiddleware, used for every request, looked for a file named like each API path before routing it:
/// an open and a stat per request that could only fail.
struct StaticFiles: AsyncMiddleware {
    /// The one folder of `Resources/Public`; pages link to their stylesheet and script under it.
    static let prefix = "/static/"
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil, advancedETagComparison: true)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.path.hasPrefix(Self.prefix) else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
