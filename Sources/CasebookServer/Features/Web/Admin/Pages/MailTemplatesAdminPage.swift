import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// The customer mail templates, shown filled with sample values, and their rewording per language.
struct MailTemplatesAdminPage: AdminPage {
    let name = "templates"
    let title = "Mail templates"
    let intro = "What customers receive automatically, in each language."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        let sql = req.store.sql
        let languages = AdminSection.languageOptions
        page.columns = [t("Template"), t("Language"), t("Subject"), t("Text"), t("Wording"), "", ""]
        let sample = ["case.reference": "CB-1234", "case.subject": "Printer jams", "customer.name": "Carla Gómez", "survey.link": "https://…/surveys/…"]
        let chosen = (name: req.query[String.self, at: "name"] ?? "", language: req.query[String.self, at: "language"] ?? "")
        var current: (subject: String, body: String)?
        for (name, _) in MailTemplateTexts.editable {
            for language in MailTemplates.languages {
                guard let builtIn = Self.builtIn(name, language: language, reference: "CB-1234", subject: "Printer jams", customer: "Carla Gómez",
                                                 link: "https://…/surveys/…") else { continue }
                let saved = try await MailTemplateTextRepository.find(name, language: language, on: sql)
                let shown = try await MailTemplateTexts.render(name, language: language, values: sample, builtIn: builtIn, on: sql)
                if chosen == (name, language) {
                    // The edit box starts from the wording in use: yours, or the built-in text with its placeholders.
                    let template = Self.builtIn(name, language: language, reference: "{{case.reference}}", subject: "{{case.subject}}",
                                                customer: "{{customer.name}}", link: "{{survey.link}}")
                    current = saved.map { ($0.subject, $0.body) } ?? template.map { ($0.subject, $0.text) }
                }
                page.rows.append([.init(text: name), .init(text: language), .init(text: shown.subject), .init(text: shown.text),
                                  .init(text: saved.map { t("yours, saved {{time}}", ["time": PageFormat.time($0.updatedAt)]) } ?? t("built-in")),
                                  .init(text: t("Reword"), href: "/admin/templates?name=\(name)&language=\(language)#reword-template"),
                                  saved == nil ? .init(text: "") : .init(text: t("Back to built-in"), action: "/admin/templates/revert?name=\(name)&language=\(language)")])
            }
        }
        page.intro += " " + t("Each customer receives them in their profile's language; shown here filled with sample values. Your wording replaces the built-in text for one template and language.")
        page.forms = [.init(id: "reword-template", title: t("Reword a template"), action: "/admin/templates", fields: [
            .init("name", t("Template"), type: "select", required: true, options: MailTemplateTexts.editable.map { .init(value: $0.name, label: $0.name) },
                  value: chosen.name),
            .init("language", t("Language"), type: "select", required: true, options: languages, value: chosen.language),
            .init("subject", t("Subject"), required: true, value: current?.subject ?? "[{{case.reference}}] {{case.subject}}"),
            .init("body", t("Text"), type: "textarea", required: true, value: current?.body ?? "",
                  help: t("Placeholders: {{case.reference}} {{case.subject}} {{customer.name}} {{customer.first_name}}; the survey also needs {{survey.link}}.")),
        ], submit: t("Save wording"))]
    }

    /// A template as Casebook writes it without your wording, filled with these values (placeholders, for the edit box).
    static func builtIn(_ name: String, language: String, reference: String, subject: String, customer: String, link: String) -> MailTemplates.Rendered? {
        switch name {
        case "acknowledgement": return MailTemplates.acknowledgement(reference: reference, subject: subject, name: customer, language: language)
        case "survey": return MailTemplates.survey(reference: reference, subject: subject, name: customer, link: link, language: language)
        default: return MailTemplates.customer(name, reference: reference, subject: subject, name: customer, language: language)
        }
    }
}
