import Foundation

/// The pure parts of speaking SMTP as a client: reading replies, preparing DATA, encoding AUTH.
public enum SMTPClientProtocol {
    /// Collects reply lines until a complete (possibly multi-line) reply is in hand.
    public struct ReplyReader: Sendable {
        private var code: Int?
        private var lines: [String] = []

        public init() {}

        /// Adds one line (without CR LF); returns the reply once its last line has arrived.
        public mutating func add(_ line: String) throws(SMTPClientError) -> SMTPReply? {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let value = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(value) else {
                throw SMTPClientError.protocolViolation("unreadable reply line '\(line.prefix(80))'")
            }
            if let code, code != value { throw SMTPClientError.protocolViolation("reply code changed from \(code) to \(value)") }
            code = value
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            guard bytes.count == 3 || bytes[3] == UInt8(ascii: " ") else { return nil }
            defer { self = ReplyReader() }
            return SMTPReply(code: value, lines: lines)
        }
    }

    /// The message as DATA sends it: CRLF line ends, leading dots doubled, ending in `CRLF.CRLF`.
    public static func dataPayload(_ message: Data) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 40 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { out.append(13) }
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { out += [13, 10] }
        out += Array(".\r\n".utf8)
        return out
    }

    /// The AUTH PLAIN initial response (RFC 4616).
    public static func authPlain(username: String, password: String) -> String {
        Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
    }

    /// Which SASL mechanisms an EHLO reply offers.
    public static func authMechanisms(in ehlo: SMTPReply) -> Set<String> {
        var mechanisms = Set<String>()
        for line in ehlo.lines {
            let words = line.uppercased().split(separator: " ").map(String.init)
            if words.first == "AUTH" || words.first?.hasPrefix("AUTH=") == true {
                mechanisms.formUnion(words.dropFirst())
                if let first = words.first, first.hasPrefix("AUTH=") { mechanisms.insert(String(first.dropFirst(5))) }
            }
        }
        return mechanisms
    }

    /// Whether an EHLO reply lists an extension (`STARTTLS`, `8BITMIME`, …).
    public static func offers(_ extensionName: String, in ehlo: SMTPReply) -> Bool {
        ehlo.lines.dropFirst().contains { $0.uppercased().split(separator: " ").first.map(String.init) == extensionName.uppercased() }
    }
}

/// Why sending failed; `isPermanent` says whether retrying can help.
public enum SMTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case protocolViolation(String)
    case rejected(step: String, reply: SMTPReply)
    case tlsUnavailable
    case authenticationUnavailable

    public var isPermanent: Bool {
        switch self {
        case let .rejected(_, reply): reply.code >= 500
        case .tlsUnavailable, .authenticationUnavailable: true
        case .protocolViolation: false
        }
    }

    public var description: String {
        switch self {
        case let .protocolViolation(detail): "SMTP protocol error: \(detail)"
        case let .rejected(step, reply): "\(step) refused: \(reply.code) \(reply.lines.joined(separator: " "))"
        case .tlsUnavailable: "the relay does not offer STARTTLS, which is required"
        case .authenticationUnavailable: "the relay offers neither AUTH PLAIN nor AUTH LOGIN"
        }
    }
}
