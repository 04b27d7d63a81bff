import Foundation

/// The words of customer-facing mail, per language; the contact's language picks, English otherwise.
enum MailTemplates {
    /// One rendered message.
    struct Rendered: Sendable {
        let subject: String
        let text: String
        let html: String
    }

    static let languages = ["en", "es"]

    static func language(_ preferred: String?) -> String {
        let code = String((preferred ?? "en").lowercased().prefix(2))
        return languages.contains(code) ? code : "en"
    }

    /// Sent when a case is opened: the reference to quote, and that a person will answer.
    static func acknowledgement(reference: String, subject: String, name: String, language code: String) -> Rendered {
        let lines: [String]
        switch language(code) {
        case "es":
            lines = ["Hola \(name):", "", "Hemos recibido su solicitud «\(subject)» y le hemos asignado la referencia \(reference).",
                     "Le responderá una persona del equipo de soporte. Si contesta a este mensaje, su respuesta se añadirá al caso.",
                     "", "Un saludo,", "El equipo de soporte"]
        default:
            lines = ["Hello \(name),", "", "We have received your request \"\(subject)\" and given it the reference \(reference).",
                     "A member of the support team will answer. Replying to this message adds your reply to the case.",
                     "", "Kind regards,", "The support team"]
        }
        return render(subject: "[\(reference)] \(subject)", lines: lines)
    }

    /// An agent's public reply, with the reference so the answer threads back.
    static func reply(reference: String, subject: String, body: String, agent: String, signature: String? = nil, language code: String) -> Rendered {
        let footer = language(code) == "es"
            ? "Responda a este mensaje para añadir información al caso \(reference)."
            : "Reply to this message to add to case \(reference)."
        let signed = signature.map { $0.components(separatedBy: "\n") } ?? []
        return render(subject: "[\(reference)] \(subject)", lines: body.components(separatedBy: "\n") + ["", "— \(agent)"] + signed + ["", footer])
    }

    /// Messages a rule's `send_template` action can send to the requester.
    static let customerTemplates = ["awaiting_reply", "still_working", "resolved"]

    /// A customer template by name, in the contact's language; nil for an unknown name.
    static func customer(_ template: String, reference: String, subject: String, name: String, language code: String) -> Rendered? {
        let spanish = language(code) == "es"
        let body: String
        switch template {
        case "awaiting_reply":
            body = spanish ? "Estamos esperando su respuesta para poder continuar con el caso \(reference)."
                : "We are waiting for your answer before we can go on with case \(reference)."
        case "still_working":
            body = spanish ? "Seguimos trabajando en el caso \(reference). Le escribiremos en cuanto haya novedades."
                : "We are still working on case \(reference) and will write as soon as there is news."
        case "resolved":
            body = spanish ? "Hemos resuelto el caso \(reference). Si el problema continúa, responda a este mensaje y lo reabriremos."
                : "We have resolved case \(reference). If the problem continues, reply to this message and we will reopen it."
        default:
            return nil
        }
        let greeting = spanish ? "Hola \(name):" : "Hello \(name),"
        let closing = spanish ? "El equipo de soporte" : "The support team"
        return render(subject: "[\(reference)] \(subject)", lines: [greeting, "", body, "", closing])
    }

    /// The satisfaction survey sent when a case is solved: one link to answer, valid once.
    static func survey(reference: String, subject: String, name: String, link: String, language code: String) -> Rendered {
        let lines: [String]
        switch language(code) {
        case "es":
            lines = ["Hola \(name):", "", "Hemos resuelto su caso \(reference) («\(subject)»).",
                     "¿Qué tal le hemos atendido? Puntúenos de 1 a 5 (y déjenos un comentario si quiere) aquí:", link,
                     "", "Gracias,", "El equipo de soporte"]
        default:
            lines = ["Hello \(name),", "", "We have resolved your case \(reference) (\"\(subject)\").",
                     "How did we do? Rate us from 1 to 5 (and leave a comment if you like) here:", link,
                     "", "Thank you,", "The support team"]
        }
        return render(subject: "[\(reference)] How did we do?", lines: lines)
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
