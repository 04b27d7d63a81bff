import CasebookCore
import Foundation

/// The words of customer-facing mail, from the message catalogues; the contact's language picks, English otherwise.
enum MailTemplates {
    /// One rendered message.
    struct Rendered: Sendable {
        let subject: String
        let text: String
        let html: String
    }

    static let languages = WebText.languages

    /// The catalogues, read once; mail is written outside any request, so it does not reach for the application's copy.
    private static let catalogues = (try? WebText.load()) ?? WebText(catalogs: [:])

    static func language(_ preferred: String?) -> String {
        let code = String((preferred ?? "en").lowercased().prefix(2))
        return languages.contains(code) ? code : "en"
    }

    /// One catalogue line in `code`, with its placeholders filled.
    static func line(_ key: String, _ code: String, _ values: [String: String] = [:]) -> String {
        PlaceholderTemplate.render(catalogues.strings(language(code))[key] ?? key, values: values)
    }

    /// Sent when a case is opened: the reference to quote, and that a person will answer.
    static func acknowledgement(reference: String, subject: String, name: String, language code: String) -> Rendered {
        let values = ["name": name, "subject": subject, "reference": reference]
        let lines = [line("mail_hello", code, values), "", line("mail_ack_received", code, values), line("mail_ack_next", code, values),
                     "", line("mail_regards", code), line("mail_team", code)]
        return render(subject: "[\(reference)] \(subject)", lines: lines)
    }

    /// An agent's public reply, with the reference so the answer threads back.
    static func reply(reference: String, subject: String, body: String, agent: String, signature: String? = nil, language code: String) -> Rendered {
        let footer = line("mail_reply_footer", code, ["reference": reference])
        let signed = signature.map { $0.components(separatedBy: "\n") } ?? []
        return render(subject: "[\(reference)] \(subject)", lines: body.components(separatedBy: "\n") + ["", "— \(agent)"] + signed + ["", footer])
    }

    /// Messages a rule's `send_template` action can send to the requester.
    static let customerTemplates = ["awaiting_reply", "still_working", "resolved"]

    /// A customer template by name, in the contact's language; nil for an unknown name.
    static func customer(_ template: String, reference: String, subject: String, name: String, language code: String) -> Rendered? {
        guard customerTemplates.contains(template) else { return nil }
        let values = ["name": name, "subject": subject, "reference": reference]
        return render(subject: "[\(reference)] \(subject)",
                      lines: [line("mail_hello", code, values), "", line("mail_" + template, code, values), "", line("mail_team", code)])
    }

    /// The satisfaction survey sent when a case is solved: one link to answer, valid once.
    static func survey(reference: String, subject: String, name: String, link: String, language code: String) -> Rendered {
        let values = ["name": name, "subject": subject, "reference": reference]
        let lines = [line("mail_hello", code, values), "", line("mail_survey_resolved", code, values), line("mail_survey_ask", code), link,
                     "", line("mail_thanks", code), line("mail_team", code)]
        return render(subject: "[\(reference)] " + line("mail_survey_subject", code), lines: lines)
    }

    /// A notice to staff from an automation or escalation rule.
    static func staffNotice(reference: String, subject: String, reason: String) -> Rendered {
        render(subject: "[\(reference)] Attention: \(subject)", lines: [reason, "", "Case \(reference): \(subject)"])
    }

    static func render(subject: String, lines: [String]) -> Rendered {
        let text = lines.joined(separator: "\n")
        let html = "<!doctype html><html><body>" + lines.map { $0.isEmpty ? "<br>" : "<p>\(escape($0))</p>" }.joined() + "</body></html>"
        return Rendered(subject: subject, text: text, html: html)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
