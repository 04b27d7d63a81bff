/// One response from an IMAP server (RFC 9051 §7): a tagged completion, an untagged datum, or a continuation request,
/// with any literals it carried kept as bytes in their place.
public struct IMAPResponse: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case tagged(String)
        case untagged
        case continuation
    }

    /// A stretch of the response's line, or the bytes of a literal (`{n}` and what followed it).
    public enum Part: Sendable, Equatable {
        case text(String)
        case literal([UInt8])
    }

    public var kind: Kind
    /// The response after its tag, `*` or `+`.
    public var parts: [Part]

    public init(kind: Kind, parts: [Part]) {
        self.kind = kind
        self.parts = parts
    }

    /// The line's text before any literal.
    public var text: String {
        if case .text(let text) = parts.first { return text }
        return ""
    }

    /// OK, NO, BAD, BYE or PREAUTH for a status response; nil otherwise.
    public var status: String? {
        let word = text.prefix { $0 != " " }.uppercased()
        return ["OK", "NO", "BAD", "BYE", "PREAUTH"].contains(word) ? word : nil
    }

    /// The human-readable part of a status response, after its code.
    public var statusText: String {
        var rest = Substring(text.drop { $0 != " " }.drop { $0 == " " })
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") { rest = rest[rest.index(after: close)...].drop { $0 == " " } }
        return String(rest)
    }

    /// A status response's code, such as `UIDVALIDITY 3857529045` → ("UIDVALIDITY", "3857529045").
    public var responseCode: (name: String, value: String)? {
        guard status != nil, let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        let inside = text[text.index(after: open)..<close]
        let name = inside.prefix { $0 != " " }.uppercased()
        return (name, String(inside.dropFirst(name.count).drop { $0 == " " }))
    }

    /// `12 EXISTS` → (12, "EXISTS"): the untagged responses that start with a number.
    public var numbered: (number: UInt32, name: String)? {
        guard kind == .untagged else { return nil }
        let words = text.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, let number = UInt32(words[0]) else { return nil }
        return (number, words[1].uppercased())
    }

    /// The capabilities named by an untagged CAPABILITY response or a `[CAPABILITY …]` code, upper-cased.
    public var capabilities: Set<String>? {
        if kind == .untagged, text.uppercased().hasPrefix("CAPABILITY ") {
            return Set(text.dropFirst("CAPABILITY ".count).split(separator: " ").map { $0.uppercased() })
        }
        if let code = responseCode, code.name == "CAPABILITY" {
            return Set(code.value.split(separator: " ").map { $0.uppercased() })
        }
        return nil
    }

    /// The numbers of an untagged `SEARCH` response.
    public var searchResults: [UInt32]? {
        guard kind == .untagged, text.uppercased().hasPrefix("SEARCH") else { return nil }
        return text.dropFirst("SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
    }

    /// The items of an untagged FETCH response (`UID`, `RFC822.SIZE`, `BODY[]`, …), keys upper-cased.
    public var fetchItems: [String: IMAPValue]? {
        guard let numbered, numbered.name == "FETCH" else { return nil }
        var scanner = IMAPValueScanner(parts: parts)
        scanner.skip(words: 2)
        guard case .list(let values)? = scanner.value() else { return nil }
        var items: [String: IMAPValue] = [:]
        var index = 0
        while index + 1 < values.count {
            if case .atom(let key) = values[index] { items[key.uppercased()] = values[index + 1] }
            index += 2
        }
        return items
    }
}

/// A value in an IMAP response's data: an atom or number, a string (quoted or literal), NIL, or a parenthesised list.
public enum IMAPValue: Sendable, Equatable {
    case atom(String)
    case string([UInt8])
    case null
    case list([IMAPValue])

    /// The value as a number, for atoms such as UIDs and sizes.
    public var number: UInt32? {
        if case .atom(let text) = self { return UInt32(text) }
        return nil
    }

    /// The value's bytes, for strings.
    public var bytes: [UInt8]? {
        if case .string(let bytes) = self { return bytes }
        return nil
    }
}

/// Reads `IMAPValue`s from a response's parts.
struct IMAPValueScanner {
    private let parts: [IMAPResponse.Part]
    private var part = 0
    private var offset = 0

    init(parts: [IMAPResponse.Part]) {
        self.parts = parts
    }

    private var current: [UInt8]? {
        guard part < parts.count, case .text(let text) = parts[part] else { return nil }
        return Array(text.utf8)
    }

    mutating func skip(words: Int) {
        for _ in 0..<words {
            skipSpaces()
            guard let bytes = current else { return }
            while offset < bytes.count, bytes[offset] != UInt8(ascii: " ") { offset += 1 }
        }
    }

    private mutating func skipSpaces() {
        guard let bytes = current else { return }
        while offset < bytes.count, bytes[offset] == UInt8(ascii: " ") { offset += 1 }
    }

    /// The next value, or nil at the end.
    mutating func value() -> IMAPValue? {
        skipSpaces()
        guard part < parts.count else { return nil }
        if case .literal(let bytes) = parts[part] {
            part += 1
            offset = 0
            return .string(bytes)
        }
        guard let bytes = current else { return nil }
        if offset >= bytes.count {
            // A text part ends where a literal begins.
            part += 1
            offset = 0
            return value()
        }
        switch bytes[offset] {
        case UInt8(ascii: "("):
            offset += 1
            var values: [IMAPValue] = []
            while true {
                skipSpaces()
                if let now = current, offset < now.count, now[offset] == UInt8(ascii: ")") {
                    offset += 1
                    return .list(values)
                }
                guard let next = value() else { return .list(values) }
                values.append(next)
            }
        case UInt8(ascii: ")"):
            return nil
        case UInt8(ascii: "\""):
            offset += 1
            var text: [UInt8] = []
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
                if bytes[offset] == UInt8(ascii: "\\"), offset + 1 < bytes.count { offset += 1 }
                text.append(bytes[offset])
                offset += 1
            }
            offset += 1
            return .string(text)
        default:
            var atom: [UInt8] = []
            var depth = 0
            while offset < bytes.count {
                let byte = bytes[offset]
                if depth == 0, byte == UInt8(ascii: " ") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "(") { break }
                if byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "]") { depth = max(0, depth - 1) }
                atom.append(byte)
                offset += 1
            }
            let text = String(decoding: atom, as: UTF8.self)
            return text.uppercased() == "NIL" ? .null : .atom(text)
        }
    }
}
