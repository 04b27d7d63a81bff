import Foundation
/// Content-Transfer-Encoding decoders; each is lenient and linear in the input size.
enum TransferEncoding {
    static func decode(_ body: ArraySlice<UInt8>, encoding: String) -> [UInt8] {
        // Written loosely by some software: `Quoted_Printable`, `quoted printable`, ` base64 `.
        switch encoding.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-") {
        case "base64": return base64(body)
        case "quoted-printable": return quotedPrintable(body)
        case "x-uuencode", "uuencode", "x-uue": return UUDecoder.decode(body)?.data ?? Array(body)
        default: return Array(body)
        }
    }

    /// Base64 that skips anything outside the alphabet and stops at padding, as mail readers do.
    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        // Table-driven over raw buffers: a mail's attachments are most of its bytes, and a per-byte `switch` with
        // `append` decoded about 10 MB/s, a measurable share of applying mail.
        let capacity = input.count * 3 / 4 + 3
        return input.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: capacity) { output, written in
                var count = 0
                var buffer: UInt32 = 0
                var bits = 0
                for byte in source {
                    let value = base64Values[Int(byte)]
                    if value >= 64 {
                        // Padding ends a group; a new group may follow (concatenated base64 blocks). Anything else is skipped.
                        if value == padding { bits = 0; buffer = 0 }
                        continue
                    }
                    buffer = (buffer << 6) | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        output[count] = UInt8(truncatingIfNeeded: buffer >> UInt32(bits))
                        count += 1
                    }
                }
                written = count
            }
        }
    }

    private static let padding: UInt8 = 65

    /// Each byte's six-bit value in base64 (standard and URL-safe alphabets); 64 skips the byte, `padding` marks `=`.
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 64, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(character)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        table[Int(UInt8(ascii: "="))] = padding
        return table
    }()

    /// Quoted-printable; a malformed `=XY` is kept as written, soft line breaks are removed.
    static func quotedPrintable(_ input: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                let next = index + 1
                if next < input.endIndex, input[next] == Bytes.lf { index += 2; continue }
                if next + 1 < input.endIndex, input[next] == Bytes.cr, input[next + 1] == Bytes.lf { index += 3; continue }
                // "=  \r\n": trailing spaces after a soft break.
                var probe = next
                while probe < input.endIndex, Bytes.isSpace(input[probe]) { probe += 1 }
                if probe > next, probe < input.endIndex, input[probe] == Bytes.lf || input[probe] == Bytes.cr {
                    index = input[probe] == Bytes.cr && probe + 1 < input.endIndex ? probe + 2 : probe + 1
                    continue
                }
                if next + 1 < input.endIndex, let high = hex(input[next]), let low = hex(input[next + 1]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                output.append(byte)
                index += 1
            } else if underscoreIsSpace, byte == UInt8(ascii: "_") {
                output.append(Bytes.space)
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// uuencoded blocks (`begin 644 name` … `end`), still sent by some old mailers inside text bodies.
enum UUDecoder {
    struct Block {
        let filename: String
        let data: [UInt8]
        /// Where the block sits in the text, to cut it out of the readable body.
        let range: Range<Int>
    }

    /// Decodes the first block in `body` (which may be the whole part).
    static func decode(_ body: ArraySlice<UInt8>) -> (filename: String, data: [UInt8])? {
        guard let block = blocks(in: Array(body)).first else { return nil }
        return (block.filename, block.data)
    }

    /// Finds every uuencoded block in a text body.
    static func blocks(in body: [UInt8]) -> [Block] {
        var found: [Block] = []
        let lines = Bytes.lines(body[...])
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.starts(with: Array("begin ".utf8)) else { index += 1; continue }
            let words = String(decoding: line, as: UTF8.self).split(separator: " ", maxSplits: 2)
            guard words.count == 3, words[1].allSatisfy({ ("0"..."7").contains($0) }) else { index += 1; continue }
            var data: [UInt8] = []
            var end = index + 1
            var closed = false
            while end < lines.count {
                let content = lines[end]
                if content.elementsEqual(Array("end".utf8)) { closed = true; break }
                data += decodeLine(content)
                end += 1
            }
            guard closed else { break }
            let start = lines[index].startIndex
            let stop = lines[end].endIndex
            found.append(Block(filename: String(words[2]).trimmingCharacters(in: .whitespaces), data: data, range: start..<stop))
            index = end + 1
        }
        return found
    }

    private static func decodeLine(_ line: ArraySlice<UInt8>) -> [UInt8] {
        guard let first = line.first else { return [] }
        let length = Int((first &- 32) & 0x3F)
        guard length > 0 else { return [] }
        var output: [UInt8] = []
        var chars = Array(line.dropFirst()).map { ($0 &- 32) & 0x3F }
        while chars.count % 4 != 0 { chars.append(0) }
        var i = 0
        while i + 3 < chars.count, output.count < length {
            let (a, b, c, d) = (chars[i], chars[i + 1], chars[i + 2], chars[i + 3])
            output.append(a << 2 | b >> 4)
            output.append((b & 0x0F) << 4 | c >> 2)
            output.append((c & 0x03) << 6 | d)
            i += 4
        }
        return Array(output.prefix(length))
    }
}
