/// Splits a byte stream into lines (without their CR LF), as line-based mail protocols such as POP3 send them.
public struct MailLineReader: Sendable {
    /// A longer line is refused: mail lines should be under 1000 bytes (RFC 5322), and real ones stay far below this.
    public static let maxLine = 4 * 1024 * 1024

    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        if start > 64 * 1024, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole line, or nil until more bytes arrive.
    public mutating func next() throws(IMAPProtocolError) -> [UInt8]? {
        guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count - start > Self.maxLine { throw .lineTooLong }
            return nil
        }
        var end = newline
        if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        defer { start = newline + 1 }
        return Array(buffer[start..<end])
    }
}

/// The pieces of POP3 (RFC 1939) that are pure: status lines, multi-line bodies and UIDL listings.
public enum POP3Text {
    /// Whether a status line says +OK, and what follows it.
    public static func status(_ line: [UInt8]) -> (ok: Bool, text: String) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("+OK") { return (true, String(text.dropFirst(3).drop { $0 == " " })) }
        return (false, String(text.drop { $0 != " " }.drop { $0 == " " }))
    }

    /// A multi-line body's lines back as bytes: dot-stuffing undone, lines joined with CR LF.
    public static func body(_ lines: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 2 })
        for line in lines {
            bytes += line.first == UInt8(ascii: ".") ? line.dropFirst() : line[...]
            bytes += [13, 10]
        }
        return bytes
    }

    /// `UIDL` lines (`1 whqtswO00WBw418f9t5JxYwZ`) as message number → unique id.
    public static func uniqueIDs(_ lines: [[UInt8]]) -> [(number: Int, uid: String)] {
        lines.compactMap { line in
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard words.count == 2, let number = Int(words[0]), words[1].count <= 70 else { return nil }
            return (number, String(words[1]))
        }
    }

    /// `LIST` lines (`1 1205`) as message number → size in bytes.
    public static func sizes(_ lines: [[UInt8]]) -> [Int: Int] {
        var sizes: [Int: Int] = [:]
        for line in lines {
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            if words.count >= 2, let number = Int(words[0]), let size = Int(words[1]) { sizes[number] = size }
        }
        return sizes
    }
}
