import Foundation

/// Parses raw RFC 5322 bytes into a `MailMessage`. Pure: no I/O, never throws, never traps.
public enum MailParser {
    /// Deeper nesting than this is treated as an opaque attachment, so no input can exhaust the stack.
    static let maxDepth = 40
    /// At most this many parts are read; the rest of a pathological message is ignored.
    static let maxParts = 2000

    public static func parse(_ data: Data) -> MailMessage {
        parse(Array(data))
    }

    public static func parse(_ bytes: [UInt8]) -> MailMessage {
        parse(bytes, depth: 0)
    }

    /// `depth` counts the attached messages this one sits inside.
    static func parse(_ bytes: [UInt8], depth: Int) -> MailMessage {
        var bytes = bytes
        // A byte-order mark before the first header, as some Windows tools save a message, hides every header.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Old Mac line endings (CR alone, and no LF anywhere) would make the whole message one line.
        if !bytes.contains(Bytes.lf), bytes.contains(Bytes.cr) { bytes = bytes.map { $0 == Bytes.cr ? Bytes.lf : $0 } }
        var (fields, body) = HeaderBlock.split(bytes[...])
        var collector = BodyCollector()
        var budget = maxParts
        MIMEWalker.walk(fields: fields, body: body, depth: depth, budget: &budget, into: &collector)
        fields = fields.map { relabelled($0, charset: collector.declaredCharset) }
        var message = MailMessage()
        message.headers = fields.map { MailHeader(name: $0.name, value: EncodedWords.decode($0.raw)) }
        func raw(_ name: String) -> String? { fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.raw }
        func all(_ name: String) -> [String] { fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.raw) }
        message.from = AddressParser.parse(all("From").joined(separator: ", "))
        if message.from.isEmpty, let sender = raw("Sender") { message.from = AddressParser.parse(sender) }
        message.to = AddressParser.parse(all("To").joined(separator: ", "))
        message.cc = AddressParser.parse(all("Cc").joined(separator: ", "))
        message.replyTo = AddressParser.parse(all("Reply-To").joined(separator: ", "))
        message.subject = AddressParser.collapse(EncodedWords.decode(raw("Subject") ?? ""))
        message.messageID = MessageIDs.parse(raw("Message-ID") ?? raw("Message-Id") ?? "").first
        message.inReplyTo = MessageIDs.parse(raw("In-Reply-To") ?? "")
        message.references = MessageIDs.parse(all("References").joined(separator: " "))
        message.date = raw("Date").flatMap(MailDate.parse)
        message.text = collector.text
        message.html = collector.html
        if message.text.isEmpty, let html = collector.html { message.text = HTMLText.text(from: html) }
        message.attachments = collector.attachments
        return message
    }

    /// A header written without RFC 2047 in a charset other than UTF-8, read again: ISO-2022-JP's escapes as such,
    /// 8-bit bytes in the charset the message's text declares (the sender's client used one for both); without one, the
    /// Windows-1252 reading stands.
    static func relabelled(_ field: HeaderBlock.Field, charset: String?) -> HeaderBlock.Field {
        guard let bytes = field.unlabelled else { return field }
        var field = field
        if bytes.contains(0x1B), bytes.allSatisfy({ $0 < 0x80 }) {
            field.raw = Charset.decode(bytes, charset: "iso-2022-jp")
        } else if let charset, !["UTF-8", "US-ASCII"].contains(Charset.canonicalName(charset)) {
            field.raw = Charset.decode(bytes, charset: charset)
        }
        return field
    }
}

/// Message-ID lists: `<a@b> <c@d>`, tolerating missing brackets and commas.
enum MessageIDs {
    static func parse(_ raw: String) -> [String] {
        let text = HeaderParameters.stripComments(raw)
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty, !id.contains(" "), ids.count < 500 { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            ids = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init).filter { $0.contains("@") }.prefix(500).map { $0 }
        }
        return ids
    }
}
