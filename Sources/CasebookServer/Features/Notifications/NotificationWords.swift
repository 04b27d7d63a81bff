import CasebookCore
import Foundation

/// A notice in words, in the reader's language: the list's headline and the mail.
struct NotificationWords {
    let texts: [String: String]
    let baseURL: String

    func headline(_ kind: NotificationKind) -> String {
        texts["notify_\(kind.rawValue)"] ?? kind.rawValue
    }

    /// Who did it, as a line of its own ("By Ana García", "By a rule").
    func byline(_ actor: String?) -> String {
        PlaceholderTemplate.render(actor == nil ? texts["notify_by_rule"] ?? "" : texts["notify_by"] ?? "", values: ["name": actor ?? ""])
    }

    func mail(_ kind: NotificationKind, reference: String, subject: String, actor: String?, excerpt: String?) -> (subject: String, text: String) {
        let values = ["reference": reference, "subject": subject, "headline": headline(kind)]
        let title = PlaceholderTemplate.render(texts["notify_mail_subject"] ?? "", values: values)
        var lines = [title, byline(actor)]
        if let excerpt, !excerpt.isEmpty { lines += ["", excerpt] }
        lines += ["", PlaceholderTemplate.render(texts["notify_mail_open"] ?? "", values: ["link": baseURL + "/desk/cases/" + reference]),
                  "", PlaceholderTemplate.render(texts["notify_mail_settings"] ?? "", values: ["link": baseURL + "/desk/notifications#preferences"])]
        return (title, lines.joined(separator: "\n"))
    }
}
