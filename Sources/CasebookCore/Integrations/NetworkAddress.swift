/// Where an IP address leads, as far as a server that makes requests on its users' behalf cares.
///
/// Outgoing webhooks let an admin name any URL; without this check that URL could reach the
/// machine's own services, the cloud metadata endpoint or the office network (SSRF).
public enum AddressScope: String, Sendable, Equatable {
    /// On the public internet.
    case global
    /// This machine (127.0.0.0/8, ::1).
    case loopback
    /// A private network (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).
    case privateNetwork = "private"
    /// The local link, where cloud metadata services live (169.254/16, fe80::/10).
    case linkLocal = "link_local"
    /// Unspecified, multicast, broadcast, documentation and other addresses no request should go to.
    case reserved

    /// Whether a request may go there without an admin allowing private targets.
    public var isPublic: Bool { self == .global }
}

/// Parses and classifies textual IPv4 and IPv6 addresses.
public enum NetworkAddress {
    /// The scope of `text` when it is an IPv4 or IPv6 address (brackets and a zone allowed), else nil.
    public static func scope(of text: String) -> AddressScope? {
        var literal = Substring(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        if let zone = literal.firstIndex(of: "%") { literal = literal[..<zone] }
        if let v4 = ipv4(literal) { return scope(ipv4: v4) }
        if let v6 = ipv6(literal) { return scope(ipv6: v6) }
        return nil
    }

    /// The four bytes of a dotted-quad address, or nil.
    public static func ipv4<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The sixteen bytes of an IPv6 address (with `::` and a dotted IPv4 tail), or nil.
    public static func ipv6<S: StringProtocol>(_ text: S) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return nil }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
        let words = head + Array(repeating: 0, count: halves.count == 2 ? missing : 0) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// The 16-bit groups of one side of `::`; an IPv4 tail counts as two.
    private static func groups(_ text: String) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var words: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, part.contains("."), let v4 = ipv4(part) {
                words.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                words.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                continue
            }
            guard !part.isEmpty, part.count <= 4, let word = UInt16(part, radix: 16) else { return nil }
            words.append(word)
        }
        return words
    }

    static func scope(ipv4 b: [UInt8]) -> AddressScope {
        switch (b[0], b[1]) {
        case (127, _): return .loopback
        case (10, _), (172, 16...31), (192, 168): return .privateNetwork
        case (100, 64...127): return .privateNetwork
        case (169, 254): return .linkLocal
        case (0, _), (224...255, _), (198, 18...19): return .reserved
        case (192, 0) where b[2] == 0 || b[2] == 2: return .reserved
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return .reserved
        default: return .global
        }
    }

    static func scope(ipv6 b: [UInt8]) -> AddressScope {
        let embedded = Array(b[12...])
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : .reserved }
        // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 prefix (64:ff9b::/96) lead wherever their IPv4 part does.
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF { return scope(ipv4: embedded) }
        if b[0..<4] == [0x00, 0x64, 0xFF, 0x9B], b[4..<12].allSatisfy({ $0 == 0 }) { return scope(ipv4: embedded) }
        if b[0] & 0xFE == 0xFC { return .privateNetwork }
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return .linkLocal }
        if b[0] == 0xFF { return .reserved }
        if b[0..<4] == [0x20, 0x01, 0x0D, 0xB8] { return .reserved }
        return .global
    }
}
