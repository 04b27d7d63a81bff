import CasebookCore
import Vapor

/// A field in a partial update: left out, set to null (cleared), or given a value.
enum PatchValue<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    /// The core's double optional: nil leaves alone, `.some(nil)` clears.
    var asDoubleOptional: Value?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case let .value(value): .some(value)
        }
    }
}

/// A coding key for any name, used to list the keys a client actually sent.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> PatchValue<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}

extension Decoder {
    /// Rejects members the endpoint does not know, so a typo never silently does nothing.
    func rejectUnknownKeys<Keys: CodingKey>(_ keys: Keys.Type) throws {
        // Each sent key is looked up by the key type itself: every case creation comes through here, and a set of all
        // known names built per request cost more than the rest of the check.
        let sent = try container(keyedBy: AnyCodingKey.self).allKeys
        if let unknown = sent.lazy.map(\.stringValue).filter({ Keys(stringValue: $0) == nil }).min() {
            throw DomainError.invalid(unknown, "is not a known field for this request")
        }
    }
}

/// Checks shared by several request bodies.
enum Validate {
    static func email(_ value: String, field: String = "email") throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }),
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw DomainError.invalid(field, "must be an email address") }
        return trimmed
    }

    /// A trimmed, non-empty text of at most `max` characters with no control characters (line breaks and tabs only
    /// when `multiline`).
    static func name(_ value: String, field: String, max: Int = 200, multiline: Bool = false) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DomainError.invalid(field, "must not be empty") }
        guard trimmed.count <= max else { throw DomainError.invalid(field, "must be at most \(max) characters") }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) else {
            throw DomainError.invalid(field, multiline ? "must not contain control characters" : "must be one line without control characters")
        }
        return trimmed
    }

    static func language(_ value: String) throws -> String {
        let ok = (2...8).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-") }
        guard ok else { throw DomainError.invalid("language", "must be a language tag such as en or es") }
        return value
    }

    /// The languages someone writes well, each one Casebook reviews replies in.
    static func writtenLanguages(_ codes: [String]) throws -> [String] {
        guard codes.count <= 20 else { throw DomainError.invalid("writes_languages", "may list at most 20 languages") }
        do { return try ReplyReview.checked(codes) } catch {
            throw DomainError.invalid("writes_languages", "'\(error.code.prefix(20))' is not one of \(ReplyReview.languages.joined(separator: ", "))")
        }
    }

    static func timeZone(_ value: String) throws -> String {
        guard TimeZone(identifier: value) != nil else { throw DomainError.invalid("time_zone", "must be an IANA time zone such as Europe/Madrid") }
        return value
    }
}
