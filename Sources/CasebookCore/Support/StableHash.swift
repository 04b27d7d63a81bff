/// FNV-1a over UTF-8 bytes as fixed-width hex: the same on every run and machine, unlike `Hasher`, for names that
/// are stored or written into files (catalog keys, alert fingerprints). Not for anything an attacker may choose to collide.
public enum StableHash {
    /// 32 bits, 8 hex digits.
    public static func fnv1a32(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        return hex(UInt64(value), digits: 8)
    }

    /// 64 bits, 16 hex digits.
    public static func fnv1a64(_ text: String) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        return hex(value, digits: 16)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }
}
