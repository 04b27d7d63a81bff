/// Fixed-width decimal and hexadecimal text without `String(format:)`, which goes through Foundation's
/// formatter and showed up at a few percent of a request's time (every token check and timestamp used it).
public enum DigitText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` in decimal, left-padded with zeros to `width` characters, a minus sign included (as printf's `%0Nd`).
    public static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count - (value < 0 ? 1 : 0)))
        return (value < 0 ? "-" : "") + padding + digits
    }

    /// Lower-case hexadecimal, two digits a byte (as digests are shown and stored).
    public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
