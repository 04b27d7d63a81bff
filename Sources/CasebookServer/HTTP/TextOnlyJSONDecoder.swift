import Foundation
import Vapor
import NIOCore

/// Request bodies' JSON decoder: refuses the NUL character (`\u0000`) anywhere in the body before decoding.
///
/// No text in Casebook may hold NUL: PostgreSQL refuses it in text columns, C libraries cut strings at it, and a name
/// with one looks like another name on screen. Refusing it once here covers every field of every request.
struct TextOnlyJSONDecoder: ContentDecoder {
    let json: JSONDecoder

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(decodable, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        if Self.containsNUL(body.readableBytesView) {
            throw Problem.badRequest("The request body holds the NUL character (\\u0000), which no text in Casebook may contain.")
        }
        return try json.decode(decodable, from: body, headers: headers, userInfo: userInfo)
    }

    /// Whether the JSON text has a raw NUL byte or a `\u0000` escape that is not itself escaped (`\\u0000` is text).
    static func containsNUL(_ bytes: ByteBufferView) -> Bool {
        var backslashes = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0 { return true }
            if byte == UInt8(ascii: "\\") {
                backslashes += 1
            } else {
                if byte == UInt8(ascii: "u"), backslashes % 2 == 1, bytes.distance(from: index, to: bytes.endIndex) >= 5,
                   bytes[index + 1 ..< index + 5].elementsEqual(Array("0000".utf8)) {
                    return true
                }
                backslashes = 0
            }
            index += 1
        }
        return false
    }
}
