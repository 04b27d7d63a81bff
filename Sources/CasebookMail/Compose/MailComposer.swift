import Foundation

/// Turns an `OutgoingMail` into RFC 5322 bytes: encoded headers, and text plus HTML as
/// multipart/alternative, both quoted-printable so every line stays under 78 characters.
public enum MailComposer {
    public static func compose(_ mail: OutgoingMail, boundary: String = "cb-" + UUID().uuidString.lowercased()) -> Data {
        var headers: [(String, String)] = [
            ("From", address(mail.from)),
            ("To", mail.to.map(address).joined(separator: ", ")),
        ]
        if !mail.cc.isEmpty { headers.append(("Cc", mail.cc.map(address).joined(separator: ", "))) }
        if let replyTo = mail.replyTo { headers.append(("Reply-To", address(replyTo))) }
        headers += [
            ("Subject", encodedWord(mail.subject)),
            ("Date", ReceivedHeader.rfc5322Date(mail.date)),
            ("Message-ID", "<\(mail.messageID)>"),
        ]
        if let inReplyTo = mail.inReplyTo { headers.append(("In-Reply-To", "<\(inReplyTo)>")) }
        if !mail.references.isEmpty { headers.append(("References", mail.references.suffix(20).map { "<\($0)>" }.joined(separator: " "))) }
        if mail.isAutomatic {
            headers.append(("Auto-Submitted", "auto-generated"))
            // Keeps Exchange from answering our notifications with out-of-office replies.
            headers.append(("X-Auto-Response-Suppress", "All"))
        }
        headers += mail.extraHeaders.map { ($0.0, encodedWord($0.1)) }
        headers.append(("MIME-Version", "1.0"))
        var out = ""
        for (name, value) in headers { out += fold("\(name): \(value)") + "\r\n" }
        if let html = mail.html {
            out += "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n"
            out += "This is a multi-part message in MIME format.\r\n"
            out += "--\(boundary)\r\n" + part("text/plain", mail.text)
            out += "--\(boundary)\r\n" + part("text/html", html)
            out += "--\(boundary)--\r\n"
        } else {
            out += part("text/plain", mail.text)
        }
        return Data(out.utf8)
    }

    private static func part(_ type: String, _ body: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + quotedPrintable(body) + "\r\n"
    }

    /// `"Name" <address>`, with the name encoded when it is not plain ASCII.
    static func address(_ address: MailAddress) -> String {
        guard let name = address.name, !name.isEmpty else { return "<\(address.address)>" }
        let isPlain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " .-'".contains($0)) }
        return (isPlain ? name : encodedWord(name, force: true)) + " <\(address.address)>"
    }

    /// An RFC 2047 B-encoded word (split so no word is longer than 75 characters) when the text is not plain ASCII.
    static func encodedWord(_ text: String, force: Bool = false) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard force || !clean.allSatisfy({ $0.isASCII && !$0.isNewline }) else { return clean }
        var words: [String] = []
        var chunk = ""
        for character in clean {
            // 45 bytes of UTF-8 encode to 60 base64 characters, leaving room for the =?utf-8?B??= frame.
            if (chunk + String(character)).utf8.count > 45 {
                words.append("=?utf-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// Folds a header line at spaces so lines stay under 78 characters where possible.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + word.count + 1 > 76 {
                lines.append(current)
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Quoted-printable (RFC 2045) with CRLF line breaks and soft breaks before 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                var piece: String
                if (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast) {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                // A line starting with a dot would be eaten by a careless SMTP server; encode it.
                if index == 0 && byte == 46 { piece = "=2E" }
                if length + piece.count > 75 {
                    encoded += "=\r\n"
                    length = 0
                }
                encoded += piece
                length += piece.count
            }
            out.append(encoded)
        }
        return out.joined(separator: "\r\n")
    }
}
