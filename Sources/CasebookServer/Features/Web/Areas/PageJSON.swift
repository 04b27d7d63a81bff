import Foundation

/// An API answer as pages read it: any JSON, looked into by dotted paths ("conditions.priorities").
enum PageJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PageJSON])
    case object([String: PageJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([PageJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: PageJSON].self)) }
    }

    static func parse(_ data: Data) -> PageJSON? { try? JSONDecoder().decode(PageJSON.self, from: data) }

    /// The value at a dotted path, or nil where a step is missing.
    subscript(path: String) -> PageJSON? {
        var value: PageJSON? = self
        for key in path.split(separator: ".") {
            guard case let .object(members)? = value else { return nil }
            value = members[String(key)]
        }
        return value
    }

    var string: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    /// A whole number, when this is one.
    var double: Double? {
        if case let .number(value) = self { return value }
        return nil
    }

    var int: Int? {
        if case let .number(value) = self, value.rounded() == value, abs(value) < 9e15 { return Int(value) }
        return nil
    }

    var items: [PageJSON] {
        if case let .array(items) = self { return items }
        return []
    }

    var members: [String: PageJSON] {
        if case let .object(members) = self { return members }
        return [:]
    }

    /// How a page shows the value in one cell: numbers without a needless ".0", lists joined, objects as "key: value".
    var text: String {
        switch self {
        case .null: return "—"
        case let .bool(flag): return flag ? "yes" : "no"
        case let .number(number):
            if number.rounded() == number && abs(number) < 1e15 { return String(Int(number)) }
            var text = String(format: "%.2f", number)
            while text.hasSuffix("0") { text.removeLast() }
            return text
        case let .string(text): return PageJSON.readable(text)
        case let .array(items): return items.isEmpty ? "—" : items.map(\.text).joined(separator: ", ")
        case let .object(members):
            return members.isEmpty ? "—" : members.sorted { $0.key < $1.key }.map { "\(PageJSON.label($0.key)): \($0.value.text)" }.joined(separator: "; ")
        }
    }

    /// The value as a form field starts from: JSON for lists of objects and objects, plain text otherwise.
    var formText: String {
        switch self {
        case .null: return ""
        case let .string(text): return text
        case let .array(items) where items.allSatisfy({ if case .object = $0 { return false } else { return true } }):
            return items.map(\.formText).joined(separator: "\n")
        case .array, .object: return json
        default: return text
        }
    }

    /// Pretty JSON, for the fields that edit structure as JSON.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Times read as "2026-11-23 09:41 UTC"; anything else as written.
    static func readable(_ text: String) -> String {
        if text.count >= 20, text.count <= 30, text.dropFirst(10).first == "T", let date = try? Date(text, strategy: .iso8601) {
            return PageFormat.time(date)
        }
        // A state such as "known_error" or "in_review" reads as words.
        if text.count <= 40, text.contains("_"), text.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0 == "_" }) {
            return text.replacingOccurrences(of: "_", with: " ")
        }
        return text
    }

    /// "first_response_minutes" → "First response minutes"; "organisation_id" → "Organisation".
    /// Words written in capitals wherever a key names them (bind_dn → "Bind DN").
    static let acronyms: Set<String> = ["dn", "ca", "tls", "url", "sla", "api", "rca", "csv", "ip", "smtp", "imap", "pop3", "qr", "ldap", "sso"]

    static func label(_ key: String) -> String {
        let name = key.hasSuffix("_id") ? String(key.dropLast(3)) : key
        let words = name.split(separator: "_").map { Self.acronyms.contains(String($0)) ? $0.uppercased() : String($0) }.joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

extension PageJSON: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(flag): try container.encode(flag)
        case let .number(number):
            if number.rounded() == number, abs(number) < 1e15 { try container.encode(Int(number)) } else { try container.encode(number) }
        case let .string(text): try container.encode(text)
        case let .array(items): try container.encode(items)
        case let .object(members): try container.encode(members)
        }
    }
}
