import Foundation

/// A UUID's 36-character text and back without Foundation's `uuidString` and `UUID(uuidString:)`, which go through
/// `sprintf` and `sscanf`: SQLite keeps ids as text, so a 100,000-case recomputation converts millions of them.
public enum UUIDText {
    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// The text Foundation's `uuidString` gives: upper case, hyphenated.
    public static func string(_ id: UUID) -> String {
        String(unsafeUninitializedCapacity: 36) { text in write(id, into: text) }
    }

    /// Calls `body` with the id's text (as `string(_:)` gives it) in a buffer on the stack, without making a String.
    public static func withUTF8<R>(_ id: UUID, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            let count = write(id, into: text)
            return try body(UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }

    private static func write(_ id: UUID, into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var out = 0
        withUnsafeBytes(of: id.uuid) { raw in
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

    /// The id in `text` (either case, hyphenated as `uuidString` writes it), or nil for anything else.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var offset = 0
                for index in 0..<16 {
                    // Hyphens come after the 4th, 6th, 8th and 10th byte (8-4-4-4-12 digits).
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        guard utf8[offset] == UInt8(ascii: "-") else { return false }
                        offset += 1
                    }
                    guard let high = nibble(utf8[offset]), let low = nibble(utf8[offset + 1]) else { return false }
                    out[index] = high << 4 | low
                    offset += 2
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
