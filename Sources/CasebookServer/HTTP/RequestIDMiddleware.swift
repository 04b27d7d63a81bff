import CasebookCore
import Vapor

/// Echoes the request id in `X-Request-ID`, taking the caller's when it is a sane token.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Vapor takes an incoming X-Request-ID as the request id as it is; keep it only when it is a sane token.
        var requestID = request.id
        if !Self.isSane(requestID) {
            requestID = UUIDText.string(RecordID.make())
            request.logger[metadataKey: "request-id"] = .string(requestID)
        }
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        return response
    }

    static func isSane(_ value: String) -> Bool {
        (1...128).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
    }
}
