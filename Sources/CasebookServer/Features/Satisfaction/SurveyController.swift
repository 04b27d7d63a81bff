import CasebookCore
import SQLKit
import Vapor

/// `/surveys/{token}`: the public satisfaction survey a customer reaches from the email link (no sign-in; the token is the key).
struct SurveyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let surveys = routes.grouped("surveys")
        surveys.get(":token", use: page)
        surveys.post(":token", use: answer)
    }

    private struct Survey {
        let reference: String
        let subject: String
        let language: String
        let score: Int?
    }

    private func survey(_ req: Request) async throws -> (String, Survey) {
        let token = try req.parameters.require("token")
        guard RandomToken.isWellFormed(token),
              let linked = try await SurveyRepository.find(token: token, on: req.store.sql)
        else { throw Problem.notFound("The survey") }
        return (token, Survey(reference: Reference(prefix: req.casebook.configuration.referencePrefix, number: linked.caseNumber).description,
                              subject: linked.subject, language: MailTemplates.language(linked.language), score: linked.score))
    }

    @Sendable func page(req: Request) async throws -> Response {
        let (_, survey) = try await survey(req)
        let preselected = req.query[Int.self, at: "score"]
        return SurveyPages.form(reference: survey.reference, subject: survey.subject, language: survey.language,
                                answered: survey.score != nil, preselected: preselected)
    }

    struct Answer: Content {
        var score: Int
        var comment: String?
    }

    /// Takes the answer as a form post (the page) or JSON; answers with a thank-you page or JSON accordingly.
    @Sendable func answer(req: Request) async throws -> Response {
        let (token, survey) = try await survey(req)
        let input: Answer
        do { input = try req.content.decode(Answer.self) } catch { throw Problem.invalid("score", "must be a whole number from 1 to 5") }
        let now = req.now
        try await req.store.write { db in
            try await SatisfactionSurveys.answer(token: token, score: input.score, comment: input.comment, via: "email", services: req.casebook,
                                               on: req.store.sql(db), now: now)
        }
        if req.headers.contentType == .json {
            return try await ["status": "recorded"].encodeResponse(status: .created, for: req)
        }
        return SurveyPages.thanks(language: survey.language)
    }
}

/// The survey's HTML: plain, scriptless, in the customer's language from the catalogues, usable on a phone.
enum SurveyPages {
    static func form(reference: String, subject: String, language code: String, answered: Bool, preselected: Int?) -> Response {
        let e = HTMLEntities.escape
        let language = MailTemplates.language(code)
        func t(_ key: String) -> String { MailTemplates.line(key, language) }
        let title = t("mail_survey_subject")
        if answered {
            return HTMLPage.response(page(language, title, "<p>\(e(t("survey_already_answered")))</p>"))
        }
        var options = ""
        for score in 1...5 {
            let checked = preselected == score ? " checked" : ""
            options += "<label><input type=\"radio\" name=\"score\" value=\"\(score)\" required\(checked)> \(score) · \(e(t("survey_score_\(score)")))</label>"
        }
        let body = """
        <p>\(e(reference)): \(e(subject))</p>
        <form method="post"><fieldset><legend>\(e(title))</legend>\(options)</fieldset>
        <label for="comment">\(e(t("survey_comment")))</label>
        <textarea id="comment" name="comment" rows="4" maxlength="5000"></textarea>
        <button type="submit">\(e(t("survey_send")))</button></form>
        """
        return HTMLPage.response(page(language, title, body), allowForm: true)
    }

    static func thanks(language code: String) -> Response {
        let language = MailTemplates.language(code)
        return HTMLPage.response(page(language, MailTemplates.line("survey_thanks_title", language),
                                      "<p>\(HTMLEntities.escape(MailTemplates.line("survey_recorded", language)))</p>"))
    }

    private static func page(_ language: String, _ title: String, _ body: String) -> String {
        """
        <!doctype html><html lang="\(language)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(HTMLEntities.escape(title))</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1a1a1a}
        main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}fieldset{border:0;padding:0}label{display:block;margin:.4rem 0}
        textarea{width:100%;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;background:#2f5f8f;color:#fff;border:0;border-radius:4px}</style>
        </head><body><main><h1>\(HTMLEntities.escape(title))</h1>\(body)</main></body></html>
        """
    }
}
