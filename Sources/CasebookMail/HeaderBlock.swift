import Foundation
/// Splits an entity into its header fields and its body.
enum HeaderBlock {
    /// At most this many header fields are kept, so a hostile message cannot balloon memory.
    static let maxFields = 2000

    struct Field {
        let name: String
        /// The unfolded raw value, before RFC 2047 decoding.
        var raw: String
        /// The value's bytes when they are not plain UTF-8 (8-bit text in another charset, or ISO-2022 escapes), so
        /// the parser can read them again once it knows the charset the message's text declares.
        var unlabelled: [UInt8]? = nil
    }

    /// The field name a header line starts with: printable, no spaces, then a colon (RFC 822 let spaces stand before
    /// the colon, `Subject : hi`, and some software still writes them).
    static func fieldName(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return nil }
        var name = line[line.startIndex..<colon]
        while let last = name.last, Bytes.isSpace(last) { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 76, name.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        return name
    }

    /// Names that mark a line as a header beyond doubt, for telling a stray line among headers from the body's start.
    static let commonNames: Set<String> = ["from", "to", "cc", "bcc", "subject", "date", "message-id", "reply-to", "in-reply-to",
                                            "references", "sender", "mime-version", "content-type", "content-transfer-encoding",
                                            "received", "return-path", "delivered-to", "importance", "thread-topic", "thread-index"]

    /// Whether one of the next three lines is a header with a common name (or an X- one) before any blank line or boundary.
    static func headerFollows(_ rest: ArraySlice<UInt8>) -> Bool {
        var start = rest.startIndex
        for _ in 0..<3 where start < rest.endIndex {
            let end = rest[start...].prefix(1000).firstIndex(of: Bytes.lf) ?? min(rest.endIndex, start + 1000)
            let line = rest[start..<end]
            let content = line.last == Bytes.cr ? line.dropLast() : line
            // A blank line or a MIME boundary (a preamble ends there) means the headers are over.
            if content.isEmpty || content.starts(with: [45, 45]) { return false }
            if let name = fieldName(content) {
                let lower = String(decoding: name, as: UTF8.self).lowercased()
                if commonNames.contains(lower) || lower.hasPrefix("x-") { return true }
            }
            start = end < rest.endIndex ? end + 1 : end
        }
        return false
    }

    static func split(_ data: ArraySlice<UInt8>) -> (fields: [Field], body: ArraySlice<UInt8>) {
        var fields: [Field] = []
        var index = data.startIndex
        var currentName: String?
        var currentValue: [UInt8] = []
        func finish() {
            if let name = currentName, fields.count < maxFields {
                let value = Bytes.trimmed(currentValue[...])
                // One validation for the common case; only 8-bit text in another charset, or ISO-2022 escapes, keeps its bytes.
                if !value.contains(0x1B), let text = String(validating: value, as: UTF8.self) {
                    fields.append(Field(name: name, raw: text))
                } else {
                    fields.append(Field(name: name, raw: Bytes.headerText(value), unlabelled: Array(value)))
                }
            }
            currentName = nil
            currentValue = []
        }
        // A message that starts with a blank line has no headers.
        while index < data.endIndex {
            var lineEnd = index
            while lineEnd < data.endIndex, data[lineEnd] != Bytes.lf { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > index, data[contentEnd - 1] == Bytes.cr { contentEnd -= 1 }
            let line = data[index..<contentEnd]
            let next = lineEnd < data.endIndex ? lineEnd + 1 : lineEnd
            if line.isEmpty {
                finish()
                return (fields, data[next..<data.endIndex])
            }
            if let first = line.first, Bytes.isSpace(first) {
                // Folded continuation of the previous field (or stray whitespace before any field).
                if currentName != nil {
                    currentValue.append(Bytes.space)
                    currentValue += Bytes.trimmed(line)
                }
            } else if let name = fieldName(line), let colon = line[name.endIndex...].firstIndex(of: UInt8(ascii: ":")) {
                finish()
                currentName = String(decoding: name, as: UTF8.self)
                currentValue = Array(line[(colon + 1)...])
            } else if fields.isEmpty && currentName == nil && (line.starts(with: Array("From ".utf8)) || line.starts(with: Array(">From ".utf8))) {
                // An mbox "From " line before the headers.
            } else if currentName != nil, headerFollows(data[next...]) {
                // A line folded without its leading space, or a stray line among the headers: kept with the field
                // above, so the headers after it (often From and Subject) are not lost to the body.
                currentValue.append(Bytes.space)
                currentValue += Bytes.trimmed(line)
            } else {
                // Not a header line: the headers ended without a blank line.
                finish()
                return (fields, data[index..<data.endIndex])
            }
            index = next
        }
        finish()
        return (fields, data[data.endIndex..<data.endIndex])
    }
}
