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
        // By bytes: every request asks, and Character's letter and number tests look up Unicode properties.
        (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"): true
            default: false
            }
        }
    }
}
