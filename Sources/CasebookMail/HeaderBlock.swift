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

    static func split(_ data: ArraySlice<UInt8>) -> (fields: [Field], body: ArraySlice<UInt8>) {
        var fields: [Field] = []
        var index = data.startIndex
        var currentName: String?
        var currentValue: [UInt8] = []
        func finish() {
            if let name = currentName, fields.count < maxFields {
                let value = Bytes.trimmed(currentValue[...])
                let plain = value.allSatisfy { $0 < 0x80 && $0 != 0x1B } || String(validating: value, as: UTF8.self) != nil && !value.contains(0x1B)
                fields.append(Field(name: name, raw: Bytes.headerText(value), unlabelled: plain ? nil : Array(value)))
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
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                      line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 }) {
                finish()
                currentName = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                currentValue = Array(line[(colon + 1)...])
            } else if fields.isEmpty && currentName == nil && line.starts(with: Array("From ".utf8)) {
                // An mbox "From " line before the headers.
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
