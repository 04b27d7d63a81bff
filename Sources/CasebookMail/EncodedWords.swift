import Foundation

/// RFC 2047 encoded words (`=?charset?B?…?=`) in header text.
enum EncodedWords {
    private enum Piece {
        case plain(Range<Int>)
        case word(charset: String, bytes: [UInt8])
    }

    /// Decodes every encoded word; whitespace between two adjacent encoded words is dropped, and
    /// adjacent words in the same charset are joined before decoding so split multibyte characters survive.
    /// Works on UTF-8 bytes in one forward pass, so hostile headers cost linear time.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var plainStart = 0
        var index = 0
        var nextEnd = -1  // index of the next "?=" at or after some position; only moves forward
        func findEnd(from position: Int) -> Int? {
            if nextEnd >= position { return nextEnd }
            var probe = max(position, nextEnd + 1)
            while probe + 1 < bytes.count {
                if bytes[probe] == UInt8(ascii: "?"), bytes[probe + 1] == UInt8(ascii: "=") {
                    nextEnd = probe
                    return probe
                }
                probe += 1
            }
            nextEnd = bytes.count
            return nil
        }
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "?") else { index += 1; continue }
            if let (word, end) = parseWord(bytes, at: index, findEnd: findEnd) {
                if plainStart < index { pieces.append(.plain(plainStart..<index)) }
                pieces.append(word)
                index = end
                plainStart = end
            } else {
                index += 2
            }
        }
        if plainStart < bytes.count { pieces.append(.plain(plainStart..<bytes.count)) }

        var output = ""
        var pendingCharset: String?
        var pendingBytes: [UInt8] = []
        func flush() {
            if let charset = pendingCharset { output += Charset.decode(pendingBytes, charset: charset) }
            pendingCharset = nil
            pendingBytes = []
        }
        for (position, piece) in pieces.enumerated() {
            switch piece {
            case let .word(charset, decoded):
                if let pending = pendingCharset, pending.lowercased() != charset.lowercased() { flush() }
                pendingCharset = charset
                pendingBytes += decoded
            case let .plain(range):
                let isGap = bytes[range].allSatisfy { $0 == Bytes.space || $0 == Bytes.tab || $0 == Bytes.cr || $0 == Bytes.lf }
                if isGap, position > 0, position + 1 < pieces.count,
                   case .word = pieces[position - 1], case .word = pieces[position + 1] { continue }
                flush()
                output += String(decoding: bytes[range], as: UTF8.self)
            }
        }
        flush()
        return output
    }

    /// Parses one `=?charset[*lang]?enc?text?=` starting at `start`; returns it and the index after it.
    private static func parseWord(_ bytes: [UInt8], at start: Int, findEnd: (Int) -> Int?) -> (Piece, Int)? {
        let charsetStart = start + 2
        var cursor = charsetStart
        while cursor < bytes.count, cursor - charsetStart < 76, bytes[cursor] != UInt8(ascii: "?") {
            if bytes[cursor] == Bytes.space { return nil }
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "?"), cursor > charsetStart else { return nil }
        let charsetEnd = cursor
        guard cursor + 2 < bytes.count, bytes[cursor + 2] == UInt8(ascii: "?") else { return nil }
        let encoding = bytes[cursor + 1] | 0x20
        let payloadStart = cursor + 3
        guard let end = findEnd(payloadStart), end - payloadStart <= 4096 else { return nil }
        let payload = bytes[payloadStart..<end]
        let decoded: [UInt8]
        switch encoding {
        case UInt8(ascii: "b"): decoded = TransferEncoding.base64(payload)
        case UInt8(ascii: "q"): decoded = TransferEncoding.quotedPrintable(payload, underscoreIsSpace: true)
        default: return nil
        }
        let label = String(decoding: bytes[charsetStart..<charsetEnd], as: UTF8.self)
        let charset = String(label.split(separator: "*", maxSplits: 1).first ?? Substring(label))
        return (.word(charset: charset, bytes: decoded), end + 2)
    }
}
