import Foundation

/// A UUID's 36-character text and back without Foundation's `uuidString` and `UUID(uuidString:)`, which go through
/// `sprintf` and `sscanf`: SQLite keeps ids as text, so a 100,000-case recomputation converts millions of them.
public enum UUIDText {
    private static let upperHex = Array("0123456789ABCDEF".utf8)
    /// Where the hyphens go, as byte offsets in the text (8-4-4-4-12).
    private static let hyphens: Set<Int> = [8, 13, 18, 23]

    /// The text Foundation's `uuidString` gives: upper case, hyphenated.
    public static func string(_ id: UUID) -> String {
        let bytes = id.uuid
        return String(unsafeUninitializedCapacity: 36) { text in
            var out = 0
            withUnsafeBytes(of: bytes) { raw in
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    text[out] = upperHex[Int(byte >> 4)]
                    text[out + 1] = upperHex[Int(byte & 0x0f)]
                    out += 2
                }
            }
            return out
        }
    }

    /// The id in `text` (either case, hyphenated as `uuidString` writes it), or nil for anything else.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var index = 0
                var high: UInt8? = nil
                for offset in 0..<36 {
                    let character = utf8[offset]
                    if hyphens.contains(offset) {
                        guard character == UInt8(ascii: "-") else { return false }
                        continue
                    }
                    guard let value = nibble(character) else { return false }
                    if let first = high {
                        out[index] = first << 4 | value
                        index += 1
                        high = nil
                    } else {
                        high = value
                    }
                }
                return true
            }
            return parsed ? UUID(uuid: bytes) : nil
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
