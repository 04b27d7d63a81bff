import Foundation
/// RFC 2047 encoded words (`=?charset?B?…?=`) in header text.
enum EncodedWords {
    /// Decodes every encoded word; whitespace between two adjacent encoded words is dropped, and
    /// adjacent words in the same charset are joined before decoding so split multibyte characters survive.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var pieces: [(isEncoded: Bool, charset: String, bytes: [UInt8], raw: String)] = []
        var rest = Substring(text)
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            if !before.isEmpty { pieces.append((false, "", [], String(before))) }
            if let (word, charset, bytes) = parseWord(rest[start.lowerBound...]) {
                pieces.append((true, charset, bytes, String(word)))
                rest = rest[word.endIndex...]
            } else {
                pieces.append((false, "", [], "=?"))
                rest = rest[start.upperBound...]
            }
        }
        if !rest.isEmpty { pieces.append((false, "", [], String(rest))) }

        var output = ""
        var pendingCharset: String?
        var pendingBytes: [UInt8] = []
        func flush() {
            if let charset = pendingCharset { output += Charset.decode(pendingBytes, charset: charset) }
            pendingCharset = nil
            pendingBytes = []
        }
        for (index, piece) in pieces.enumerated() {
            if piece.isEncoded {
                if pendingCharset != nil, pendingCharset?.lowercased() != piece.charset.lowercased() { flush() }
                pendingCharset = piece.charset
                pendingBytes += piece.bytes
            } else {
                let betweenEncoded = piece.raw.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
                    && index > 0 && pieces[index - 1].isEncoded && index + 1 < pieces.count && pieces[index + 1].isEncoded
                if betweenEncoded { continue }
                flush()
                output += piece.raw
            }
        }
        flush()
        return output
    }

    /// Parses one `=?charset[*lang]?enc?text?=` at the start of `text`.
    private static func parseWord(_ text: Substring) -> (Substring, String, [UInt8])? {
        let body = text.dropFirst(2)
        guard let q1 = body.prefix(80).firstIndex(of: "?") else { return nil }
        let charsetPart = body[..<q1]
        let afterCharset = body[body.index(after: q1)...]
        guard let q2 = afterCharset.prefix(3).firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<q2].lowercased()
        let payloadStart = afterCharset.index(after: q2)
        // Look for the end only nearby, so text full of stray "=?" stays linear.
        let window = afterCharset[payloadStart...].prefix(4100)
        guard let end = window.range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        guard !charsetPart.isEmpty, charsetPart.count < 40, !payload.contains(" ") || encoding == "q", payload.count < 4096 else { return nil }
        let charset = String(charsetPart.split(separator: "*", maxSplits: 1).first ?? charsetPart)
        let bytes: [UInt8]
        switch encoding {
        case "b": bytes = TransferEncoding.base64(Array(payload.utf8)[...])
        case "q": bytes = TransferEncoding.quotedPrintable(Array(payload.utf8)[...], underscoreIsSpace: true)
        default: return nil
        }
        return (text[text.startIndex..<end.upperBound], charset, bytes)
    }
}
