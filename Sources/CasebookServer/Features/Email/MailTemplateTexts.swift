import CasebookCore
import Foundation
import SQLKit

/// Admins' own wording of the automatic customer mails, per language. Where none is saved, the built-in text is sent.
enum MailTemplateTexts {
    /// The templates admins may reword, and the placeholders each may use.
    static let editable: [(name: String, placeholders: [String])] = [
        ("acknowledgement", ["case.reference", "case.subject", "customer.name", "customer.first_name"]),
        ("awaiting_reply", ["case.reference", "case.subject", "customer.name", "customer.first_name"]),
        ("still_working", ["case.reference", "case.subject", "customer.name", "customer.first_name"]),
        ("resolved", ["case.reference", "case.subject", "customer.name", "customer.first_name"]),
        ("survey", ["case.reference", "case.subject", "customer.name", "customer.first_name", "survey.link"]),
    ]

    /// The admin's wording for this template and language, filled in, or the built-in text.
    static func render(_ name: String, language: String, values: [String: String], builtIn: MailTemplates.Rendered,
                       on sql: any SQLDatabase) async throws -> MailTemplates.Rendered {
        render(try await MailTemplateTextRepository.find(name, language: MailTemplates.language(language), on: sql), values: values, builtIn: builtIn)
    }

    /// Fills an admin's saved wording (read earlier) with `values`, or returns the built-in text when there is none.
    static func render(_ saved: MailTemplateTextRepository.Saved?, values: [String: String], builtIn: MailTemplates.Rendered) -> MailTemplates.Rendered {
        guard let saved else { return builtIn }
        var filled = values
        if let full = values["customer.name"] { filled["customer.first_name"] = full.split(separator: " ").first.map(String.init) ?? full }
        return MailTemplates.render(subject: PlaceholderTemplate.render(saved.subject, values: filled),
                                    lines: PlaceholderTemplate.render(saved.body, values: filled).components(separatedBy: "\n"))
    }

    /// Checks and saves a wording (replacing an earlier one); problems name the field.
    static func save(name: String, language: String, subject: String, body: String, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        guard let template = editable.first(where: { $0.name == name }) else { throw DomainError.invalid("name", "must be one of \(editable.map(\.name).joined(separator: ", "))") }
        guard MailTemplates.languages.contains(language) else { throw DomainError.invalid("language", "must be one of \(MailTemplates.languages.joined(separator: ", "))") }
        let subject = subject.trimmingCharacters(in: .whitespacesAndNewlines), body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(subject.count), !subject.contains("\n") else { throw DomainError.invalid("subject", "must be one line of 1 to 200 characters") }
        guard (1...20_000).contains(body.count) else { throw DomainError.invalid("body", "must be 1 to 20000 characters") }
        for (field, text) in [("subject", subject), ("body", body)] {
            let problems = PlaceholderTemplate.problems(text, allowed: template.placeholders)
            guard problems.isEmpty else {
                throw DomainError.invalid(field, "uses \(problems.joined(separator: "; ")); this template knows \(template.placeholders.map { "{{\($0)}}" }.joined(separator: " "))")
            }
        }
        if name == "survey" && !body.contains("survey.link") { throw DomainError.invalid("body", "must contain {{survey.link}}, or nobody can answer") }
        try await MailTemplateTextRepository.replace(name: name, language: language, subject: subject, body: body, by: userID, at: now, on: sql)
    }
}
