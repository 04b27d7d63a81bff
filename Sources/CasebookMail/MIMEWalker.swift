import CasebookCore
import Foundation
/// What the walk over a message's parts has found so far.
struct BodyCollector {
    var textParts: [String] = []
    var html: String?
    var attachments: [MailAttachment] = []
    /// The first charset a text part declared: the likeliest one for headers written in 8-bit without a label.
    var declaredCharset: String?

    var text: String { textParts.joined(separator: "\n\n") }
}

/// Walks a MIME entity tree depth-first, sorting parts into body text, HTML and attachments.
enum MIMEWalker {
    static func walk(fields: [HeaderBlock.Field], body: ArraySlice<UInt8>, depth: Int, budget: inout Int,
                     into collector: inout BodyCollector, defaultType: String = "text/plain") {
        budget -= 1
        guard budget >= 0 else { return }
        func raw(_ name: String) -> String? { fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.raw }
        var contentType = HeaderParameters(raw("Content-Type") ?? defaultType)
        if !contentType.value.contains("/") { contentType = HeaderParameters(defaultType) }
        let disposition = HeaderParameters(raw("Content-Disposition") ?? "")
        let encoding = HeaderParameters(raw("Content-Transfer-Encoding") ?? "7bit").value
        let filename = (disposition["filename"] ?? contentType["name"]).map { EncodedWords.decode($0) }
        let contentID = raw("Content-ID").flatMap { MessageIDs.parse($0).first }
        let type = contentType.value

        if type.hasPrefix("multipart/"), depth < MailParser.maxDepth {
            let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
            if let parts = Multipart.split(body, boundary: contentType["boundary"]) {
                for part in parts {
                    let (childFields, childBody) = HeaderBlock.split(part)
                    walk(fields: childFields, body: childBody, depth: depth + 1, budget: &budget, into: &collector, defaultType: childDefault)
                }
                return
            }
            // No usable boundary: read the body as plain text rather than lose it.
            collector.textParts.append(TextBody.decode(TransferEncoding.decode(body, encoding: encoding), charset: contentType["charset"]))
            return
        }

        let data = TransferEncoding.decode(body, encoding: encoding)
        let isAttachmentDisposition = disposition.value == "attachment"
        if (type == "message/rfc822" || type == "message/global") {
            // The inner subject names the file; past the depth limit the message stays unread.
            let subject = depth < MailParser.maxDepth ? MailParser.parse(data, depth: depth + 1).subject : ""
            let name = filename ?? (subject.isEmpty ? "message" : String(subject.prefix(80))) + ".eml"
            collector.attachments.append(MailAttachment(filename: sanitize(name), contentType: type, contentID: contentID, isInline: false, data: Data(data)))
            return
        }
        if (type == "text/plain" || type == "text/html"), !isAttachmentDisposition, collector.declaredCharset == nil {
            collector.declaredCharset = contentType["charset"] ?? (type == "text/html" ? TextBody.metaCharset(data) : nil)
        }
        if type == "text/plain" && !isAttachmentDisposition {
            var text = TextBody.decode(data, charset: contentType["charset"])
            if contentType["format"]?.lowercased() == "flowed" {
                text = FlowedText.unflow(text, deleteSpace: contentType["delsp"]?.lowercased() == "yes")
            }
            for block in UUDecoder.blocks(in: Array(text.utf8)) {
                collector.attachments.append(MailAttachment(filename: sanitize(block.filename), contentType: "application/octet-stream",
                                                            contentID: nil, isInline: false, data: Data(block.data)))
            }
            if text.contains("\nbegin ") || text.hasPrefix("begin ") {
                text = TextBody.removingUUBlocks(text)
            }
            if !text.isEmpty || collector.textParts.isEmpty { collector.textParts.append(text) }
            return
        }
        if type == "text/html" && !isAttachmentDisposition {
            let html = TextBody.decode(data, charset: contentType["charset"] ?? TextBody.metaCharset(data))
            collector.html = collector.html.map { $0 + "\n" + html } ?? html
            return
        }
        let name = filename.map(sanitize) ?? defaultName(for: type, index: collector.attachments.count + 1)
        collector.attachments.append(MailAttachment(filename: name, contentType: type, contentID: contentID,
                                                    isInline: disposition.value == "inline" || (contentID != nil && !isAttachmentDisposition),
                                                    data: Data(data)))
    }

    static func defaultName(for type: String, index: Int) -> String {
        let known = ["image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf", "text/plain": "txt",
                     "text/html": "html", "message/delivery-status": "txt", "text/rfc822-headers": "txt", "text/calendar": "ics", "application/pgp-signature": "asc"]
        return "attachment-\(index).\(known[type] ?? "bin")"
    }

    /// An outside file name made safe; "attachment" when nothing usable is left.
    static func sanitize(_ name: String) -> String {
        let cleaned = FileName.clean(name)
        return cleaned.isEmpty ? "attachment" : cleaned
    }
}

/// Splits a multipart body at its boundary lines.
enum Multipart {
    /// The parts, or nil when no boundary line can be found.
    static func split(_ body: ArraySlice<UInt8>, boundary declared: String?) -> [ArraySlice<UInt8>]? {
        guard let boundary = usableBoundary(body, declared: declared) else { return nil }
        let marker = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex, body[lineEnd] != Bytes.lf { lineEnd += 1 }
            let next = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            let line = body[lineStart..<lineEnd]
            if line.starts(with: marker) {
                let rest = Bytes.trimmed(line.dropFirst(marker.count))
                let isClose = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                if rest.isEmpty || isClose {
                    if let start = partStart {
                        // The line break before a boundary belongs to the boundary.
                        var end = lineStart
                        if end > start, body[end - 1] == Bytes.lf { end -= 1 }
                        if end > start, body[end - 1] == Bytes.cr { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if isClose { return parts }
                    partStart = next
                }
            }
            lineStart = next
        }
        // No closing boundary: the last part runs to the end.
        if let start = partStart, start < body.endIndex { parts.append(body[start..<body.endIndex]) }
        return parts.isEmpty ? nil : parts
    }

    /// The declared boundary when the body uses it, else the first `--token` line (a common breakage).
    static func usableBoundary(_ body: ArraySlice<UInt8>, declared: String?) -> String? {
        var firstDashLine: String?
        for line in Bytes.lines(body).prefix(5000) where line.starts(with: [45, 45]) && line.count > 2 {
            let candidate = String(decoding: Bytes.trimmed(line.dropFirst(2)), as: UTF8.self)
            if let declared, candidate == declared || candidate == declared + "--" { return declared }
            if firstDashLine == nil, !candidate.isEmpty, !candidate.contains(" ") { firstDashLine = candidate }
        }
        return firstDashLine.map { $0.hasSuffix("--") ? String($0.dropLast(2)) : $0 }
    }
}

/// Text part decoding: charset, line endings, trailing blank lines.
enum TextBody {
    static func decode(_ data: [UInt8], charset: String?) -> String {
        var text = Charset.decode(data, charset: charset)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Outlook's quoted-printable "=0D" before a CRLF leaves CR CR LF: one line break, not two.
        text = text.replacingOccurrences(of: "\r\r\n", with: "\n").replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        while let last = text.last, last == "\n" || last == " " || last == "\t" { text.removeLast() }
        return text
    }

    /// The charset an HTML part declares in a `<meta>` tag, when its MIME header names none.
    static func metaCharset(_ data: [UInt8]) -> String? {
        let head = String(decoding: data.prefix(2048), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        let value = head[range.upperBound...].drop(while: { $0 == "\"" || $0 == "'" })
            .prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        return value.isEmpty ? nil : String(value)
    }

    static func removingUUBlocks(_ text: String) -> String {
        var lines: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inside, line.hasPrefix("begin "), line.split(separator: " ").count >= 3 { inside = true; continue }
            if inside { if line == "end" { inside = false }; continue }
            lines.append(line)
        }
        var result = lines.joined(separator: "\n")
        while let last = result.last, last == "\n" || last == " " { result.removeLast() }
        return result
    }
}
