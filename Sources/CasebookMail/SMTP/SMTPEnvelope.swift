/// The sender and recipients a client named in MAIL FROM and RCPT TO.
public struct SMTPEnvelope: Sendable, Equatable {
    /// The reverse path; empty for a bounce (`MAIL FROM:<>`).
    public var sender: String
    public var recipients: [String]
    /// The greeting name the client gave in HELO/EHLO.
    public var clientName: String

    public init(sender: String, recipients: [String] = [], clientName: String) {
        self.sender = sender
        self.recipients = recipients
        self.clientName = clientName
    }
}
