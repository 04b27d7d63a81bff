import CasebookCore
import Vapor

/// An API caller that asks for a language (`Accept-Language: es`) reads a refusal's sentences in it: the title, the
/// detail and each field's message, from the same catalogues the pages use. The problem's type, status and field names
/// stay as they are, for programs; a caller that asks for nothing, or for English, gets the API's English.
enum ProblemLanguage {
    static func localized(_ problem: Problem, for request: Request) -> Problem {
        guard let header = request.headers.first(name: .acceptLanguage) else { return problem }
        let language = LanguagePreference.pick(preferred: nil, acceptLanguage: header, supported: WebText.languages)
        guard language != "en" else { return problem }
        let faults = FaultText(text: request.application.webText, language: language)
        let strings = faults.strings
        let code = problem.status.code
        let titleKey = [400, 403, 404, 413, 429].contains(code) ? "error_\(code)" : (code >= 500 ? "error_500" : "error_other")
        // A field's sentence ("Field 'x' is required.") is said again with the translated predicate.
        let detail = problem.fieldErrors.first { problem.detail == "Field '\($0.field)' \($0.message)." }
            .map { faults.sentence(field: $0.field, label: nil, message: $0.message) } ?? faults.message(problem.detail)
        var translated = Problem(status: problem.status, slug: problem.slug, title: strings[titleKey] ?? problem.title,
                                 detail: problem.slug == "internal" ? (strings["error_500_detail"].map { $0 + " " + request.id } ?? problem.detail) : detail,
                                 fieldErrors: problem.fieldErrors.map { .init(field: $0.field, message: faults.message($0.message), code: $0.code) },
                                 headers: problem.headers, extensions: problem.extensions)
        translated.headers.replaceOrAdd(name: .contentLanguage, value: language)
        return translated
    }
}
