import Foundation

/// The pieces of IMAP commands that need care: quoting, mailbox names in modified UTF-7, SASL answers and UID sets.
public enum IMAPCommandText {
    /// `text` as an IMAP quoted string; nil when it cannot be one (line breaks, NUL, or 8-bit characters).
    public static func quoted(_ text: String) -> String? {
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0 != "\r" && $0 != "\n" && $0 != "\0" }) else { return nil }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A mailbox name as IMAP4rev1 writes it (RFC 3501 §5.1.3): printable ASCII as is, `&` as `&-`, everything else
    /// as UTF-16 in modified base64 between `&` and `-`, then quoted.
    public static func mailbox(_ name: String) -> String {
        var encoded = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            let base64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: ",").replacingOccurrences(of: "=", with: "")
            encoded += "&" + base64 + "-"
            pending = []
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20, scalar.value <= 0x7E {
                flush()
                encoded += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return quoted(encoded) ?? "\"INBOX\""
    }

    /// The SASL PLAIN answer (RFC 4616), base64.
    public static func saslPlain(user: String, password: String) -> String {
        Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
    }

    /// The SASL XOAUTH2 answer Microsoft 365 and Gmail take, base64.
    public static func xoauth2(user: String, accessToken: String) -> String {
        Data("user=\(user)\u{1}auth=Bearer \(accessToken)\u{1}\u{1}".utf8).base64EncodedString()
    }

    /// UIDs as a sequence set, runs written as ranges: `[1, 2, 3, 7]` → `1:3,7`.
    public static func uidSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var pieces: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            pieces.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return pieces.joined(separator: ",")
    }
}
