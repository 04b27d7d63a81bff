/// Splits the bytes an IMAP server sends into whole responses, reading literals (`{n}` then n bytes) as bytes.
public struct IMAPResponseReader: Sendable {
    /// A line (outside literals) longer than this is refused: no server needs it and it would let one grow memory.
    public static let maxLine = 256 * 1024
    /// The largest literal taken: a little above the largest message Casebook accepts.
    public static let maxLiteral = 64 * 1024 * 1024

    private var buffer: [UInt8] = []
    private var start = 0
    private var parts: [IMAPResponse.Part] = []
    private var literalLength: Int?

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        if start > 64 * 1024, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole response, or nil until more bytes arrive.
    public mutating func next() throws(IMAPProtocolError) -> IMAPResponse? {
        while true {
            if let length = literalLength {
                guard buffer.count - start >= length else { return nil }
                parts.append(.literal(Array(buffer[start..<start + length])))
                start += length
                literalLength = nil
                continue
            }
            guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.count - start > Self.maxLine { throw .lineTooLong }
                return nil
            }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            if let (text, length) = try Self.literalAnnouncement(line) {
                parts.append(.text(text))
                literalLength = length
                continue
            }
            parts.append(.text(String(decoding: line, as: UTF8.self)))
            defer { parts = [] }
            return Self.response(parts)
        }
    }

    /// `… {123}` or `… {123+}` at the end of a line: the text before it and the literal's length.
    private static func literalAnnouncement(_ line: ArraySlice<UInt8>) throws(IMAPProtocolError) -> (String, Int)? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.endIndex - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard digits.count <= 10, let length = Int(String(decoding: digits, as: UTF8.self)), length <= maxLiteral else {
            throw .literalTooLarge(Int(String(decoding: digits.prefix(18), as: UTF8.self)) ?? Int.max)
        }
        return (String(decoding: line[line.startIndex..<open], as: UTF8.self), length)
    }

    private static func response(_ parts: [IMAPResponse.Part]) -> IMAPResponse {
        guard case .text(let first) = parts.first else { return IMAPResponse(kind: .untagged, parts: parts) }
        var rest = parts
        func replacingFirst(_ text: Substring) -> [IMAPResponse.Part] {
            rest[0] = .text(String(text))
            return rest
        }
        if first.hasPrefix("+") {
            return IMAPResponse(kind: .continuation, parts: replacingFirst(first.dropFirst().drop { $0 == " " }))
        }
        let tag = first.prefix { $0 != " " }
        let after = first.dropFirst(tag.count).drop { $0 == " " }
        return IMAPResponse(kind: tag == "*" ? .untagged : .tagged(String(tag)), parts: replacingFirst(after))
    }
}

/// What makes an IMAP or POP3 server's answer unreadable.
public enum IMAPProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    case lineTooLong
    case literalTooLarge(Int)

    public var description: String {
        switch self {
        case .lineTooLong: "the server sent a line longer than \(IMAPResponseReader.maxLine) bytes"
        case .literalTooLarge(let length): "the server announced a literal of \(length) bytes"
        }
    }
}
