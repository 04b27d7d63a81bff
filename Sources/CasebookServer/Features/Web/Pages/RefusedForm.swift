import Foundation
import Vapor

/// A form the server refused, kept in the session for the next page view only, so the page shows it again with what
/// was typed and the reason beside it.
enum RefusedForm {
    static func keep<Value: Encodable>(_ value: Value, as key: String, in req: Request) {
        guard let stored = try? JSONEncoder().encode(value) else { return }
        req.session.data[key] = String(decoding: stored, as: UTF8.self)
    }

    /// The kept form, once; nil when there is none (or no session).
    static func take<Value: Decodable>(_ type: Value.Type, key: String, from req: Request) -> Value? {
        guard req.hasSession, let stored = req.session.data[key] else { return nil }
        req.session.data[key] = nil
        return try? JSONDecoder().decode(type, from: Data(stored.utf8))
    }
}
