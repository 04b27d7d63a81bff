/// RFC 4515 search filters, from their text form to BER, and the escaping that keeps a typed name a plain value.
public enum LDAPFilter {
    /// `value` escaped for use inside a filter: `*`, `(`, `)`, `\` and NUL become `\XX`.
    public static func escape(_ value: String) -> String {
        var out: [UInt8] = []
        for byte in value.utf8 {
            switch byte {
            case 0x2A, 0x28, 0x29, 0x5C, 0x00:
                let hex = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `template` with each `{name}` replaced by the escaped value.
    /// One pass over the template, so a value that itself contains `{name}` is never filled again.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                result += escape(value)
                rest = rest[rest.index(after: close)...]
            } else {
                result.append("{")
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    /// The BER form of a filter such as `(&(objectClass=person)(|(uid=ann)(mail=ann@x.example)))`.
    public static func encode(_ text: String) throws(LDAPError) -> BER.Element {
        var parser = Parser(bytes: Array(text.utf8))
        let element = try parser.filter()
        guard parser.index == parser.bytes.count else { throw LDAPError.badFilter("text after the end") }
        return element
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func expect(_ byte: UInt8) throws(LDAPError) {
            guard index < bytes.count, bytes[index] == byte else { throw LDAPError.badFilter("expected '\(Character(Unicode.Scalar(byte)))' at \(index)") }
            index += 1
        }

        mutating func filter() throws(LDAPError) -> BER.Element {
            try expect(UInt8(ascii: "("))
            guard index < bytes.count else { throw LDAPError.badFilter("ends early") }
            let element: BER.Element
            switch bytes[index] {
            case UInt8(ascii: "&"): index += 1; element = BER.constructed(0xA0, try list())
            case UInt8(ascii: "|"): index += 1; element = BER.constructed(0xA1, try list())
            case UInt8(ascii: "!"): index += 1; element = BER.constructed(0xA2, [try filter()])
            default: element = try item()
            }
            try expect(UInt8(ascii: ")"))
            return element
        }

        mutating func list() throws(LDAPError) -> [BER.Element] {
            var items: [BER.Element] = []
            while index < bytes.count, bytes[index] == UInt8(ascii: "(") { items.append(try filter()) }
            guard !items.isEmpty else { throw LDAPError.badFilter("an empty list at \(index)") }
            return items
        }

        mutating func item() throws(LDAPError) -> BER.Element {
            let start = index
            while index < bytes.count, !"=~<>()".utf8.contains(bytes[index]) { index += 1 }
            let attribute = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !attribute.isEmpty, index < bytes.count else { throw LDAPError.badFilter("no attribute at \(start)") }
            var tag: UInt8 = 0xA3
            switch bytes[index] {
            case UInt8(ascii: "~"): tag = 0xA8; index += 1
            case UInt8(ascii: ">"): tag = 0xA5; index += 1
            case UInt8(ascii: "<"): tag = 0xA6; index += 1
            default: break
            }
            try expect(UInt8(ascii: "="))
            let valueStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ")") { index += 1 }
            let raw = Array(bytes[valueStart..<index])
            if tag == 0xA3, raw == [UInt8(ascii: "*")] { return BER.Element(tag: 0x87, contents: Array(attribute.utf8)) }
            if tag == 0xA3, raw.contains(UInt8(ascii: "*")) {
                let parts = raw.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
                var pieces: [BER.Element] = []
                for (position, part) in parts.enumerated() where !part.isEmpty {
                    let partTag: UInt8 = position == 0 ? 0x80 : (position == parts.count - 1 ? 0x82 : 0x81)
                    pieces.append(BER.Element(tag: partTag, contents: try unescape(Array(part))))
                }
                return BER.constructed(0xA4, [BER.octets(attribute), BER.constructed(BER.sequence, pieces)])
            }
            return BER.constructed(tag, [BER.octets(attribute), BER.Element(tag: BER.octetString, contents: try unescape(raw))])
        }

        func unescape(_ raw: [UInt8]) throws(LDAPError) -> [UInt8] {
            var out: [UInt8] = []
            var position = 0
            while position < raw.count {
                if raw[position] == UInt8(ascii: "\\") {
                    guard position + 3 <= raw.count,
                          let value = UInt8(String(decoding: raw[(position + 1)..<(position + 3)], as: UTF8.self), radix: 16)
                    else { throw LDAPError.badFilter("a bad escape") }
                    out.append(value)
                    position += 3
                } else {
                    out.append(raw[position])
                    position += 1
                }
            }
            return out
        }
    }
}
