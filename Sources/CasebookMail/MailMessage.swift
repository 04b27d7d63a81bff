import Foundation

/// What the parser made of one RFC 5322 message.
public struct MailMessage: Sendable, Equatable {
    /// Every header in order, names as written, values unfolded and decoded to text.
    public var headers: [MailHeader]
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: [MailAddress]
    public var subject: String
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var date: Date?
    /// The readable body: the text part, or text made from the HTML part when there is no text part.
    public var text: String
    public var html: String?
    public var attachments: [MailAttachment]

    public init(headers: [MailHeader] = [], from: [MailAddress] = [], to: [MailAddress] = [], cc: [MailAddress] = [],
                replyTo: [MailAddress] = [], subject: String = "", messageID: String? = nil, inReplyTo: [String] = [],
                references: [String] = [], date: Date? = nil, text: String = "", html: String? = nil, attachments: [MailAttachment] = []) {
        self.headers = headers
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.text = text
        self.html = html
        self.attachments = attachments
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Who wrote the message: From, else Sender, else the envelope sender a receiving server
    /// recorded in Return-Path (broken scripts and some devices send mail with no From at all).
    public var author: MailAddress? {
        if let first = from.first(where: { $0.address.contains("@") }) { return first }
        for name in ["Sender", "Return-Path"] {
            if let value = header(name), let address = AddressParser.parse(value).first(where: { $0.address.contains("@") }) {
                return address
            }
        }
        return nil
    }

    /// Every value of a header, by case-insensitive name.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}

/// One header field.
public struct MailHeader: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A mailbox: an optional display name and an address.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let name: String?
    public let address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// `Name <address>` or just the address.
    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}

/// A file carried by the message (including inline images and attached messages).
public struct MailAttachment: Sendable, Equatable {
    public let filename: String
    public let contentType: String
    public let contentID: String?
    public let isInline: Bool
    public let data: Data

    public init(filename: String, contentType: String, contentID: String?, isInline: Bool, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.contentID = contentID
        self.isInline = isInline
        self.data = data
    }
}
