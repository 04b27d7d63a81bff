import CasebookCore
import Foundation
import Vapor

/// `/admin/translations`: what customers read in each language, what is missing or out of date, and a box per text
/// to translate it. Every change goes through the API as the admin; a refused one comes back with the words kept.
struct TranslationPages: RouteCollection {
    static let refusedKey = "translation_refused"

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped("admin", "translations")
        pages.get(use: show)
        pages.post(use: save)
        pages.post("remove", use: remove)
    }

    @Sendable func show(req: Request) async throws -> View {
        try req.authorize(.manageCatalog)
        let translating = TranslateContent(services: req.casebook)
        let targets = translating.targetLanguages
        let asked = req.query[String.self, at: "language"], askedKind = req.query[String.self, at: "kind"]
        if let asked, !targets.contains(asked) { throw DomainError.invalid("language", "must be one of \(targets.joined(separator: ", "))") }
        let language = asked ?? targets.first ?? "es"
        let kind = try askedKind.map {
            guard let kind = TranslatableKind(rawValue: $0) else {
                throw DomainError.invalid("kind", "must be one of \(TranslatableKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
        let everything = req.query[String.self, at: "show"] == "all"
        let chrome = req.chrome(req.text("translations_title", "Translations"), area: "admin")
        let all = try await translating.entries(languages: targets, kind: nil, on: req.store.sql)
        let shown = all.filter { $0.language == language && (kind == nil || $0.kind == kind) && (everything || $0.state != .current) }
        var page = TranslationsPage.build(
            shown, counts: all, chrome: chrome, language: language, kind: kind, everything: everything,
            content: req.casebook.configuration.contentLanguage, targets: targets, refused: Self.takeRefused(req), query: req.url.query)
        if kind == nil {
            page.articles = try await ArticleTranslationRepository.untranslated(into: language, limit: 50, on: req.store.sql).map {
                .init(title: $0.title, href: "/knowledge/articles/\($0.id.uuidString.lowercased())", language: $0.language)
            }
            page.articlesHeading = PlaceholderTemplate.render(chrome.t["translations_articles_heading"] ?? "Knowledge articles with no {{language}} version",
                                                              values: ["language": WebText.nativeNames[language] ?? language])
        }
        return try await req.view.render("translations", page)
    }

    struct Form: Content {
        var kind: String?
        var item: String?
        var field: String?
        var language: String?
        var text: String?
        var back: String?
    }

    @Sendable func save(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let typed = form.text ?? ""
        // The rule the API applies, checked here first so the message is in the admin's language.
        do { _ = try ContentTranslation.checked(typed) } catch {
            return refuse(req, form, message: error == .empty ? req.text("translations_error_empty", "Write the translation, or remove it.")
                                                              : req.text("translations_error_long", "A translation may be at most 10,000 characters."))
        }
        let answer = try await InProcessAPI(req: req).call(.PUT, Self.apiPath(form), json: .object(["text": .string(typed)]))
        guard answer.succeeded else { return refuse(req, form, message: answer.problem.map { FaultText(req).message($0.detail) } ?? req.text("translations_refused", "That did not work.")) }
        req.flash(req.text("translations_saved", "Translation saved."))
        return req.redirect(to: Self.back(form))
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let answer = try await InProcessAPI(req: req).call(.DELETE, Self.apiPath(form), json: nil)
        guard answer.succeeded else { return refuse(req, form, message: answer.problem.map { FaultText(req).message($0.detail) } ?? req.text("translations_refused", "That did not work.")) }
        req.flash(req.text("translations_removed", "Translation removed: customers read the original again."))
        return req.redirect(to: Self.back(form))
    }

    private func refuse(_ req: Request, _ form: Form, message: String) -> Response {
        let refused = TranslationsPage.Refused(anchor: TranslationsPage.anchor(form.kind ?? "", form.item ?? "", form.field ?? ""),
                                               typed: form.text ?? "", message: message)
        RefusedForm.keep(refused, as: Self.refusedKey, in: req)
        return req.redirect(to: Self.back(form))
    }

    private static func apiPath(_ form: Form) -> String {
        let parts = [form.kind, form.item, form.field, form.language].map {
            ($0 ?? "").addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? ""
        }
        return "/api/v1/translations/" + parts.joined(separator: "/")
    }

    private static func back(_ form: Form) -> String {
        let back = SignInPages.safeNext(form.back)
        let base = back.hasPrefix("/admin/translations") ? back : "/admin/translations"
        return base + "#" + TranslationsPage.anchor(form.kind ?? "", form.item ?? "", form.field ?? "")
    }

    /// The refused form to show again, once.
    static func takeRefused(_ req: Request) -> TranslationsPage.Refused? {
        RefusedForm.take(TranslationsPage.Refused.self, key: refusedKey, from: req)
    }
}
