/// The subset of ASN.1 Basic Encoding Rules that LDAP speaks: one-byte tags, definite lengths.
public enum BER {
    public static let boolean: UInt8 = 0x01, integer: UInt8 = 0x02, octetString: UInt8 = 0x04, enumerated: UInt8 = 0x0A
    public static let sequence: UInt8 = 0x30, set: UInt8 = 0x31

    /// One element: its tag and its contents (for constructed elements, the encoded children).
    public struct Element: Sendable, Equatable {
        public var tag: UInt8
        public var contents: [UInt8]

        public init(tag: UInt8, contents: [UInt8]) {
            self.tag = tag
            self.contents = contents
        }

        public var encoded: [UInt8] { [tag] + BER.length(contents.count) + contents }

        /// The children of a constructed element.
        public func children() throws(LDAPError) -> [Element] {
            var offset = 0
            var result: [Element] = []
            while offset < contents.count {
                guard let (element, used) = try BER.read(contents, from: offset) else { throw LDAPError.malformed("a truncated element") }
                result.append(element)
                offset += used
            }
            return result
        }

        public var string: String { String(decoding: contents, as: UTF8.self) }

        public var int: Int {
            guard let first = contents.first else { return 0 }
            var value = Int(Int8(bitPattern: first))
            for byte in contents.dropFirst() { value = (value << 8) | Int(byte) }
            return value
        }
    }

    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// Reads one element at `offset`: nil when the bytes do not yet hold all of it.
    public static func read(_ bytes: [UInt8], from offset: Int = 0) throws(LDAPError) -> (Element, Int)? {
        guard bytes.count >= offset + 2 else { return nil }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw LDAPError.malformed("a multi-byte tag") }
        var index = offset + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4 else { throw LDAPError.malformed("a length of \(count) bytes") }
            guard bytes.count >= index + count else { return nil }
            length = 0
            for byte in bytes[index..<index + count] { length = (length << 8) | Int(byte) }
            index += count
        }
        guard length <= 16 * 1024 * 1024 else { throw LDAPError.malformed("an element of \(length) bytes") }
        guard bytes.count >= index + length else { return nil }
        return (Element(tag: tag, contents: Array(bytes[index..<index + length])), index + length - offset)
    }

    public static func octets(_ text: String, tag: UInt8 = octetString) -> Element { Element(tag: tag, contents: Array(text.utf8)) }

    public static func int(_ value: Int, tag: UInt8 = integer) -> Element {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while rest != 0 && rest != -1
        if value >= 0, let first = bytes.first, first & 0x80 != 0 { bytes.insert(0, at: 0) }
        if value < 0, let first = bytes.first, first & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
        return Element(tag: tag, contents: bytes)
    }

    public static func bool(_ value: Bool) -> Element { Element(tag: boolean, contents: [value ? 0xFF : 0x00]) }

    public static func constructed(_ tag: UInt8, _ children: [Element]) -> Element {
        Element(tag: tag, contents: children.flatMap(\.encoded))
    }
}

/// Why a conversation with a directory failed.
public enum LDAPError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case badFilter(String)
    /// The directory answered with a result code other than success.
    case result(code: Int, message: String)

    public var description: String {
        switch self {
        case let .malformed(what): "the directory sent \(what)"
        case let .badFilter(why): "the search filter is not valid: \(why)"
        case let .result(code, message): "the directory answered \(code)\(message.isEmpty ? "" : ": " + message)"
        }
    }
}
