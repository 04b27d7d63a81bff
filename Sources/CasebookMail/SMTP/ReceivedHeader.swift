import Foundation

/// The `Received:` trace line a receiving server prepends (RFC 5321 4.4), so a message's path
/// stays visible and loops (too many hops) can be recognised.
public enum ReceivedHeader {
    /// `Received: from client ([address]) by us with ESMTP(S) for <rcpt>; date` as one folded header.
    public static func line(envelope: SMTPEnvelope, peer: String, by hostname: String, tls: Bool, id: String, at date: Date) -> String {
        let recipient = envelope.recipients.count == 1 ? "\r\n\tfor <\(envelope.recipients[0])>" : ""
        let client = envelope.clientName.filter { !$0.isNewline && $0 != "(" && $0 != ")" }
        return "Received: from \(client) ([\(peer)])\r\n\tby \(hostname) (Casebook) with \(tls ? "ESMTPS" : "ESMTP") id \(id)\(recipient);\r\n\t\(rfc5322Date(date))\r\n"
    }

    /// A date in the RFC 5322 form, in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
