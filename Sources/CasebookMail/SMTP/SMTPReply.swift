/// One SMTP reply: a code, an enhanced status code (RFC 3463) and one or more lines of text.
public struct SMTPReply: Sendable, Equatable {
    public let code: Int
    public let lines: [String]

    public init(_ code: Int, _ lines: String...) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
    }

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
    }

    /// The reply as it goes on the wire: `250-first`, …, `250 last`, each ending in CRLF.
    public var wire: String {
        lines.enumerated().map { index, line in
            "\(code)\(index == lines.count - 1 ? " " : "-")\(line)\r\n"
        }.joined()
    }

    public var isPositive: Bool { code < 400 }
}
