import CasebookCore
import Foundation
import Vapor

/// A refusal's words in the reader's language. The API words a field's fault as an English predicate ("is required",
/// "must be 1 to 200 characters") so the same rule reads the same everywhere; a page looks each one up in the catalogs
/// under a key made from it (`fault_is_required_…`), as area texts are. A sentence built with values in it ("Case
/// CB-10042 was not found.") is recognised by its template in the English catalog and said again with the same values;
/// one that no template knows stays as the API wrote it.
struct FaultText: Sendable {
    /// The reader's catalog.
    let strings: [String: String]
    /// The templates of sentences with values, most specific first.
    let templates: [FaultTemplate]

    init(text: WebText, language: String) {
        self.strings = text.strings(language)
        self.templates = text.faultTemplates
    }

    init(_ req: Request) {
        self.init(text: req.application.webText, language: req.webLanguage())
    }

    /// The catalog key of an English predicate.
    static func key(_ english: String) -> String {
        "fault_" + AreaText.key(english).dropFirst("area_".count)
    }

    /// The predicate or sentence in the reader's language, or as the API wrote it.
    func message(_ english: String) -> String {
        message(english, depth: 0)
    }

    /// A value inside a sentence may be a refusal itself ("Row 4: Field 'serial' is required."): it is said in the
    /// reader's language too, one level down.
    private func message(_ english: String, depth: Int) -> String {
        if let exact = strings[Self.key(english)] { return exact }
        for template in templates {
            guard let values = template.values(in: english), let wording = strings[template.key] else { continue }
            let said = depth == 0 ? values.mapValues { message($0, depth: 1) } : values
            return PlaceholderTemplate.render(wording, values: said)
        }
        return english
    }

    /// "Label: predicate." with the page's word for the field, or the catalog's "Field 'x' …" without one.
    func sentence(field: String, label: String?, message english: String) -> String {
        let predicate = message(english)
        if let label { return "\(label): \(predicate)." }
        return PlaceholderTemplate.render(strings["fault_field"] ?? "Field '{{field}}' {{message}}.", values: ["field": field, "message": predicate])
    }

    /// The problem a page shows, in the reader's language: each field's predicate translated, and the summary, when it
    /// is the API's "Field 'x' …" sentence for one of them, said again with the page's label (`label(field)`).
    func problem(_ problem: PageProblem, label: (String) -> String?) -> PageProblem {
        var translated = problem
        translated.fields = problem.fields.mapValues(message)
        if let (field, english) = problem.fields.first(where: { problem.detail == "Field '\($0.key)' \($0.value)." }) {
            translated.detail = sentence(field: field, label: label(field), message: english)
        } else {
            translated.detail = message(problem.detail)
        }
        return translated
    }

    /// A case's refused move, with the statuses as the API names them.
    func transition(from: CaseStatus, to: CaseStatus) -> String {
        PlaceholderTemplate.render(strings["fault_case_transition"] ?? "A case cannot move from {{from}} to {{to}}; allowed: {{allowed}}.",
                                   values: ["from": from.rawValue, "to": to.rawValue,
                                            "allowed": from.allowedNext.map(\.rawValue).sorted().joined(separator: ", ")])
    }
}
