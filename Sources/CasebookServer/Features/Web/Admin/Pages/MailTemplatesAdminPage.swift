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
        let sql = req.store.sql
        let languages = AdminSection.languageOptions
        page.columns = ["Template", "Language", "Subject", "Text", "Wording", ""]
        let sample = ["case.reference": "CB-1234", "case.subject": "Printer jams", "customer.name": "Carla Gómez", "survey.link": "https://…/surveys/…"]
        for (name, _) in MailTemplateTexts.editable {
            for language in MailTemplates.languages {
                let builtIn: MailTemplates.Rendered
                switch name {
                case "acknowledgement": builtIn = MailTemplates.acknowledgement(reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", language: language)
                case "survey": builtIn = MailTemplates.survey(reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", link: "https://…/surveys/…", language: language)
                default:
                    guard let customer = MailTemplates.customer(name, reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", language: language) else { continue }
                    builtIn = customer
                }
                let saved = try await MailTemplateTexts.find(name, language: language, on: sql)
                let shown = try await MailTemplateTexts.render(name, language: language, values: sample, builtIn: builtIn, on: sql)
                page.rows.append([.init(text: name), .init(text: language), .init(text: shown.subject), .init(text: shown.text),
                                     .init(text: saved.map { "yours, saved \(PageFormat.time($0.updatedAt))" } ?? "built-in"),
                                     saved == nil ? .init(text: "") : .init(text: "Back to built-in", action: "/admin/templates/revert?name=\(name)&language=\(language)")])
            }
        }
        page.intro += " Each customer receives them in their profile's language; shown here filled with sample values. Your wording replaces the built-in text for one template and language."
        page.forms = [.init(id: "reword-template", title: "Reword a template", action: "/admin/templates", fields: [
            .init("name", "Template", type: "select", required: true, options: MailTemplateTexts.editable.map { .init(value: $0.name, label: $0.name) }),
            .init("language", "Language", type: "select", required: true, options: languages),
            .init("subject", "Subject", required: true, value: "[{{case.reference}}] {{case.subject}}"),
            .init("body", "Text", type: "textarea", required: true,
                  help: "Placeholders: {{case.reference}} {{case.subject}} {{customer.name}} {{customer.first_name}}; the survey also needs {{survey.link}}."),
        ], submit: "Save wording")]
    }
}
