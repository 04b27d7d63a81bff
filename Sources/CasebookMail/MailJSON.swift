import CasebookCore
import Crypto
import Foundation

/// The JSON shape `casebook mail parse` prints, with exactly the documented keys.
public struct MailSummary: Encodable, Equatable, Sendable {
    public struct Attachment: Encodable, Equatable, Sendable {
        public let filename: String
        public let contentType: String
        public let size: Int
        public let sha256: String

        enum CodingKeys: String, CodingKey {
            case filename, size, sha256
            case contentType = "content_type"
        }
    }

    public let from: String?
    public let fromAddress: String?
    public let to: [String]
    public let cc: [String]
    public let subject: String
    public let messageID: String?
    public let inReplyTo: String?
    public let references: [String]
    public let date: String?
    public let text: String
    public let html: String?
    public let attachments: [Attachment]

    enum CodingKeys: String, CodingKey {
        case from, to, cc, subject, references, date, text, html, attachments
        case fromAddress = "from_address"
        case messageID = "message_id"
        case inReplyTo = "in_reply_to"
    }

    public init(_ message: MailMessage) {
        from = message.from.first?.description
        fromAddress = message.from.first?.address
        to = message.to.map(\.description)
        cc = message.cc.map(\.description)
        subject = message.subject
        messageID = message.messageID
        inReplyTo = message.inReplyTo.first
        references = message.references
        date = message.date.map(Timestamp.format)
        text = message.text
        html = message.html
        attachments = message.attachments.map { attachment in
            Attachment(filename: attachment.filename, contentType: attachment.contentType, size: attachment.data.count,
                       sha256: DigitText.hex(SHA256.hash(data: attachment.data)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(fromAddress, forKey: .fromAddress)
        try container.encode(to, forKey: .to)
        try container.encode(cc, forKey: .cc)
        try container.encode(subject, forKey: .subject)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(inReplyTo, forKey: .inReplyTo)
        try container.encode(references, forKey: .references)
        try container.encode(date, forKey: .date)
        try container.encode(text, forKey: .text)
        try container.encode(html, forKey: .html)
        try container.encode(attachments, forKey: .attachments)
    }

    /// Pretty, key-sorted JSON, the form `casebook mail parse` prints and the corpus stores.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
