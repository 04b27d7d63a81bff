import Foundation

/// A message Casebook sends: who it goes to, what it says, and how it threads.
public struct OutgoingMail: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    /// Copies (Cc): people the conversation is shown to, who are not who it is for.
    public var cc: [MailAddress] = []
    public var replyTo: MailAddress?
    public var subject: String
    /// Our Message-ID, without angle brackets.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    /// Set on anything sent without a person deciding to (acknowledgements, notifications): RFC 3834.
    public var isAutomatic: Bool
    public var text: String
    public var html: String?
    public var date: Date
    /// Extra headers such as `X-Casebook-Case`.
    public var extraHeaders: [(String, String)]

    public init(from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, messageID: String,
                inReplyTo: String? = nil, references: [String] = [], isAutomatic: Bool, text: String, html: String? = nil,
                date: Date, extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.isAutomatic = isAutomatic
        self.text = text
        self.html = html
        self.date = date
        self.extraHeaders = extraHeaders
    }

    public static func == (lhs: OutgoingMail, rhs: OutgoingMail) -> Bool {
        lhs.messageID == rhs.messageID && lhs.subject == rhs.subject && lhs.to == rhs.to && lhs.cc == rhs.cc && lhs.text == rhs.text && lhs.html == rhs.html
    }
}
