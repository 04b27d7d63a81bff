import Foundation

/// Recognises mail that no person wrote: bounces, auto-replies and bulk or list traffic.
///
/// Casebook must never answer such mail (RFC 3834) and should not open cases from it; the
/// signals are the standard headers first, then the habits of common mailers.
public enum AutomaticMail: String, Sendable, Equatable {
    /// A delivery status notification (RFC 3464) or a mailer-daemon's report.
    case bounce
    /// An out-of-office or other automatic answer.
    case autoReply = "auto_reply"
    /// Bulk, junk or mailing-list traffic.
    case bulk

    /// What kind of automatic mail this is, or nil when a person wrote it.
    public static func classify(_ message: MailMessage) -> AutomaticMail? {
        let sender = message.from.first?.address ?? ""
        let local = sender.split(separator: "@").first.map { $0.lowercased() } ?? ""
        let contentType = (message.header("Content-Type") ?? "").lowercased()
        if contentType.contains("multipart/report") && contentType.contains("delivery-status") { return .bounce }
        if ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(local) { return .bounce }
        let autoSubmitted = (message.header("Auto-Submitted") ?? "no").trimmingCharacters(in: .whitespaces).lowercased()
        if !autoSubmitted.hasPrefix("no") { return .autoReply }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil { return .autoReply }
        let suppress = (message.header("X-Auto-Response-Suppress") ?? "").lowercased()
        if suppress.contains("all") || suppress.contains("oof") || suppress.contains("autoreply") { return .autoReply }
        let precedence = (message.header("Precedence") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if ["bulk", "junk", "list", "auto_reply"].contains(precedence) { return precedence == "auto_reply" ? .autoReply : .bulk }
        if message.header("List-Id") != nil || message.header("List-Unsubscribe") != nil { return .bulk }
        let subject = message.subject.lowercased()
        if subject.hasPrefix("automatic reply:") || subject.hasPrefix("auto:") || subject.hasPrefix("out of office") {
            return .autoReply
        }
        return nil
    }
}
