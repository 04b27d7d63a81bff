import Foundation

/// The server side of one SMTP conversation (RFC 5321), as a pure state machine.
///
/// It knows nothing about sockets: the network adapter feeds it one line at a time (without its
/// line ending) and carries out the actions it returns. Keeping the protocol here lets every
/// rule (command order, size limits, dot-stuffing, recipient checks, STARTTLS resets) be tested
/// without a network, and lets the adapter stay a thin byte shuffler.
public struct SMTPServerSession: Sendable {
    /// What the listener allows.
    public struct Policy: Sendable {
        public var hostname: String
        public var maxMessageBytes: Int
        public var maxRecipients: Int
        /// Whether STARTTLS can be offered (a certificate is configured).
        public var offersTLS: Bool
        /// Whether mail is taken before STARTTLS (false: 530 until the client upgrades).
        public var requiresTLS: Bool
        /// Decides whether a recipient address is one of ours.
        public var acceptsRecipient: @Sendable (String) -> Bool

        public init(hostname: String, maxMessageBytes: Int, maxRecipients: Int = 100, offersTLS: Bool = false,
                    requiresTLS: Bool = false, acceptsRecipient: @escaping @Sendable (String) -> Bool) {
            self.hostname = hostname
            self.maxMessageBytes = maxMessageBytes
            self.maxRecipients = maxRecipients
            self.offersTLS = offersTLS
            self.requiresTLS = requiresTLS
            self.acceptsRecipient = acceptsRecipient
        }
    }

    /// What the adapter must do after a line.
    public enum Action: Sendable, Equatable {
        /// Send this reply and read on.
        case reply(SMTPReply)
        /// Store the message durably, then call `delivered(_:)` or `deliveryFailed(_:)` and send what it returns.
        case deliver(SMTPEnvelope, [UInt8])
        /// Send this reply, then start TLS and forget any bytes already buffered.
        case startTLS(SMTPReply)
        /// Send this reply and close the connection.
        case close(SMTPReply)
        /// Nothing to send (a line of message data).
        case none
    }

    private enum Phase: Sendable, Equatable {
        case awaitingHello
        case ready
        case mail
        case data
    }

    public let policy: Policy
    public private(set) var isTLSActive = false
    private var phase = Phase.awaitingHello
    private var clientName = ""
    private var envelope = SMTPEnvelope(sender: "", clientName: "")
    private var message: [UInt8] = []
    private var overflow = false
    /// Whether the last data line (or the DATA command) ended with CR LF: only `<CRLF>.<CRLF>` ends the data.
    private var previousLineEndedWithCRLF = true
    private var errors = 0
    private static let maxErrors = 20

    public init(policy: Policy) {
        self.policy = policy
    }

    /// The banner sent when a client connects.
    public var greeting: SMTPReply { SMTPReply(220, "\(policy.hostname) Casebook ESMTP ready") }

    /// Whether the session is reading message data (so lines are not commands).
    public var isReadingData: Bool { phase == .data }
    /// Whether a message is under way: a sender named and not yet delivered or reset.
    public var isInTransaction: Bool { phase == .mail || phase == .data }

    /// Handles one line the client sent, without its line end; `endedWithCRLF` is false for a bare LF.
    public mutating func receive(line: ArraySlice<UInt8>, endedWithCRLF: Bool = true) -> Action {
        if phase == .data {
            // A dot after a bare LF, or before one, is data: taking either as the end would let a forged second
            // message ride in the first one's data when another server reads the stream differently (SMTP smuggling,
            // RFC 5321 2.3.8 and 4.1.1.4).
            let ends = previousLineEndedWithCRLF && endedWithCRLF
            previousLineEndedWithCRLF = endedWithCRLF
            return receiveData(line, mayEnd: ends)
        }
        let text = String(decoding: line, as: UTF8.self)
        let (verb, argument) = Self.split(text)
        let action = command(verb, argument)
        if case let .reply(reply) = action, reply.code >= 500 {
            errors += 1
            if errors >= Self.maxErrors { return .close(SMTPReply(421, "4.7.0 Too many errors, closing")) }
        }
        return action
    }

    /// Called when a line is longer than the adapter will buffer.
    public mutating func lineTooLong() -> Action {
        if phase == .data {
            overflow = true
            return .none
        }
        errors += 1
        return .reply(SMTPReply(500, "5.5.2 Line too long"))
    }

    /// The message was stored; the reply that says so.
    public mutating func delivered(_ id: String) -> SMTPReply {
        resetTransaction()
        return SMTPReply(250, "2.0.0 Ok: queued as \(id)")
    }

    /// The message could not be stored; a temporary failure so the client retries later.
    public mutating func deliveryFailed(_ reason: String) -> SMTPReply {
        resetTransaction()
        return SMTPReply(451, "4.3.0 Not stored, try again later (\(reason.prefix(100)))")
    }

    /// The message will never be taken as it is (too large, unreadable): a permanent refusal, so the client bounces
    /// it to its sender instead of retrying for days.
    public mutating func deliveryRefused(_ reason: String, tooLarge: Bool) -> SMTPReply {
        resetTransaction()
        return tooLarge ? SMTPReply(552, "5.3.4 \(reason.prefix(200))") : SMTPReply(554, "5.6.0 \(reason.prefix(200))")
    }

    /// TLS is up: the client must greet again, and everything said before is forgotten (RFC 3207).
    public mutating func tlsStarted() {
        isTLSActive = true
        phase = .awaitingHello
        clientName = ""
        resetTransaction()
    }

    // MARK: Commands

    private mutating func command(_ verb: String, _ argument: String) -> Action {
        switch verb {
        case "EHLO", "HELO":
            guard !argument.isEmpty else { return .reply(SMTPReply(501, "5.5.4 \(verb) needs a domain or address")) }
            clientName = String(argument.prefix(255))
            resetTransaction()
            phase = .ready
            guard verb == "EHLO" else { return .reply(SMTPReply(250, policy.hostname)) }
            var lines = ["\(policy.hostname) greets \(clientName)", "SIZE \(policy.maxMessageBytes)", "8BITMIME", "PIPELINING",
                         "ENHANCEDSTATUSCODES"]
            if policy.offersTLS && !isTLSActive { lines.append("STARTTLS") }
            return .reply(SMTPReply(code: 250, lines: lines))
        case "MAIL":
            return mail(argument)
        case "RCPT":
            return recipient(argument)
        case "DATA":
            guard argument.isEmpty else { return .reply(SMTPReply(501, "5.5.4 DATA takes no argument")) }
            guard phase == .mail else { return .reply(SMTPReply(503, "5.5.1 MAIL FROM first")) }
            guard !envelope.recipients.isEmpty else { return .reply(SMTPReply(554, "5.5.1 No valid recipients")) }
            phase = .data
            previousLineEndedWithCRLF = true
            message = []
            overflow = false
            return .reply(SMTPReply(354, "End data with <CR><LF>.<CR><LF>"))
        case "RSET":
            resetTransaction()
            if phase != .awaitingHello { phase = .ready }
            return .reply(SMTPReply(250, "2.0.0 Ok"))
        case "NOOP":
            return .reply(SMTPReply(250, "2.0.0 Ok"))
        case "QUIT":
            return .close(SMTPReply(221, "2.0.0 Bye"))
        case "VRFY":
            return .reply(SMTPReply(252, "2.5.0 Cannot verify, but will accept the message and attempt delivery"))
        case "HELP":
            return .reply(SMTPReply(214, "2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT STARTTLS"))
        case "STARTTLS":
            guard policy.offersTLS, !isTLSActive else { return .reply(SMTPReply(502, "5.5.1 STARTTLS not available")) }
            guard argument.isEmpty else { return .reply(SMTPReply(501, "5.5.4 STARTTLS takes no argument")) }
            return .startTLS(SMTPReply(220, "2.0.0 Ready to start TLS"))
        case "":
            return .reply(SMTPReply(500, "5.5.2 Empty command"))
        default:
            return .reply(SMTPReply(500, "5.5.2 Command not recognised"))
        }
    }

    private mutating func mail(_ argument: String) -> Action {
        guard phase != .awaitingHello else { return .reply(SMTPReply(503, "5.5.1 EHLO or HELO first")) }
        guard phase == .ready else { return .reply(SMTPReply(503, "5.5.1 Sender already given")) }
        if policy.requiresTLS && !isTLSActive { return .reply(SMTPReply(530, "5.7.0 Must issue a STARTTLS command first")) }
        guard let (address, parameters) = Self.path(after: "FROM:", in: argument) else {
            return .reply(SMTPReply(501, "5.5.4 Syntax: MAIL FROM:<address>"))
        }
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            switch pair.first?.uppercased() {
            case "SIZE":
                guard pair.count == 2, let size = Int(pair[1]), size >= 0 else { return .reply(SMTPReply(501, "5.5.4 Bad SIZE")) }
                if size > policy.maxMessageBytes { return .reply(SMTPReply(552, "5.3.4 Message too big for this system")) }
            case "BODY":
                guard pair.count == 2, ["7BIT", "8BITMIME"].contains(pair[1].uppercased()) else {
                    return .reply(SMTPReply(501, "5.5.4 BODY must be 7BIT or 8BITMIME"))
                }
            default:
                return .reply(SMTPReply(555, "5.5.4 Parameter \(pair.first ?? "") not recognised"))
            }
        }
        envelope = SMTPEnvelope(sender: address, clientName: clientName)
        phase = .mail
        return .reply(SMTPReply(250, "2.1.0 Ok"))
    }

    private mutating func recipient(_ argument: String) -> Action {
        guard phase == .mail else { return .reply(SMTPReply(503, "5.5.1 MAIL FROM first")) }
        guard let (address, _) = Self.path(after: "TO:", in: argument), address.contains("@") else {
            return .reply(SMTPReply(501, "5.5.4 Syntax: RCPT TO:<address>"))
        }
        guard envelope.recipients.count < policy.maxRecipients else { return .reply(SMTPReply(452, "4.5.3 Too many recipients")) }
        guard policy.acceptsRecipient(address.lowercased()) else {
            return .reply(SMTPReply(550, "5.1.1 <\(address)>: no such mailbox here"))
        }
        if !envelope.recipients.contains(address.lowercased()) { envelope.recipients.append(address.lowercased()) }
        return .reply(SMTPReply(250, "2.1.5 Ok"))
    }

    // MARK: Message data

    private mutating func receiveData(_ line: ArraySlice<UInt8>, mayEnd: Bool) -> Action {
        if mayEnd && line.count == 1 && line.first == UInt8(ascii: ".") {
            phase = .ready
            if overflow {
                resetTransaction()
                return .reply(SMTPReply(552, "5.3.4 Message too big for this system"))
            }
            let bytes = message
            message = []
            return .deliver(envelope, bytes)
        }
        guard !overflow else { return .none }
        // A leading dot was doubled by the client so no line could end the data early (RFC 5321 4.5.2).
        // A lone dot that did not end the data (a bare LF beside it) is kept as it came.
        let body = line.first == UInt8(ascii: ".") && line.count > 1 ? line.dropFirst() : line
        if message.count + body.count + 2 > policy.maxMessageBytes {
            overflow = true
            message = []
            return .none
        }
        message.append(contentsOf: body)
        message.append(contentsOf: [13, 10])
        return .none
    }

    private mutating func resetTransaction() {
        envelope = SMTPEnvelope(sender: "", clientName: clientName)
        message = []
        overflow = false
        if phase == .mail || phase == .data { phase = .ready }
    }

    // MARK: Parsing

    private static func split(_ line: String) -> (String, String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { return (trimmed.uppercased(), "") }
        return (trimmed[..<space].uppercased(), trimmed[trimmed.index(after: space)...].trimmingCharacters(in: .whitespaces))
    }

    /// `FROM:<a@b> SIZE=10` → ("a@b", ["SIZE=10"]); tolerates a space after the colon and a missing bracket pair.
    public static func path(after keyword: String, in argument: String) -> (String, [String])? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
        let address: String
        let tail: Substring
        if rest.hasPrefix("<") {
            guard let close = rest.firstIndex(of: ">") else { return nil }
            address = String(rest[rest.index(after: rest.startIndex)..<close])
            tail = rest[rest.index(after: close)...]
        } else {
            let parts = rest.split(separator: " ", maxSplits: 1)
            guard let first = parts.first else { return nil }
            address = String(first)
            tail = parts.count > 1 ? parts[1] : ""
        }
        // A source route (`<@relay:user@host>`) is obsolete; only the mailbox matters.
        let mailbox = address.hasPrefix("@") ? String(address.split(separator: ":", maxSplits: 1).last ?? "") : address
        guard mailbox.count <= 254, !mailbox.contains(where: { $0 == " " || $0 == "<" || $0 == ">" }) else { return nil }
        return (mailbox, tail.split(separator: " ").map(String.init))
    }
}
