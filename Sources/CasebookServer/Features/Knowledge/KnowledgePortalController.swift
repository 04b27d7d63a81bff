import CasebookCore
import SQLKit
import Vapor

/// `/kb`: the public knowledge base (published public articles), searchable, with "was this helpful?". Pages are in
/// the reader's language (their choice, then the browser's); an article translated into it is shown in it, and every
/// article says which other languages it is in.
struct KnowledgePortalController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let kb = routes.grouped("kb")
        kb.get(use: index)
        kb.get(":id", use: article)
        kb.post(":id", "feedback", use: feedback)
    }

    /// The reader's language and its strings.
    private static func reader(_ req: Request) -> (language: String, t: [String: String]) {
        let language = req.webLanguage()
        return (language, req.application.webText.strings(language))
    }

    @Sendable func index(req: Request) async throws -> Response {
        let e = HTMLEntities.escape
        let (language, t) = Self.reader(req)
        let text = String((req.query[String.self, at: "q"] ?? "").prefix(300))
        var items: [UUID] = []
        if text.isEmpty {
            items = try await KnowledgeRepository.mostRead(limit: 50, on: req.store.sql).map(\.id)
        } else {
            items = try await KnowledgeRepository.rank(text, scope: .init(staff: false), limit: 20, on: req.store.sql).map(\.article)
        }
        let versions = try await KnowledgeLanguages.pick(items, for: language, on: req.store.sql)
        let list = versions.isEmpty ? "<p>\(e(t["kb_no_match"] ?? "No articles match."))</p>"
            : "<ul>" + versions.map { version in
                let lang = version.language == language ? "" : " lang=\"\(e(version.language))\""
                return "<li\(lang)><a href=\"/kb/\(version.id.uuidString.lowercased())\">\(e(version.title))</a><p>\(e(ArticleView.snippet(version.body)))</p></li>"
            }.joined() + "</ul>"
        let search = e(t["kb_search"] ?? "Search")
        let body = """
        <form method="get" role="search"><label for="q">\(search)</label>
        <input id="q" name="q" type="search" value="\(e(text))"><button type="submit">\(search)</button></form>\(list)
        """
        return HTMLPage.response(Self.page(t["kb_title"] ?? "Knowledge base", body, language), allowForm: true)
    }

    private func published(_ req: Request) async throws -> ArticleView {
        guard let id = req.parameters.get("id", as: UUID.self),
              let article = try await KnowledgeRepository.find(id, prefix: req.casebook.configuration.referencePrefix, on: req.store.sql),
              article.status == .published, article.audience == .public
        else { throw Problem.notFound("The article") }
        return article
    }

    @Sendable func article(req: Request) async throws -> Response {
        let article = try await published(req)
        try await req.store.write { db in
            try await KnowledgeRepository.countView(of: article.id, on: req.store.sql(db))
        }
        let e = HTMLEntities.escape
        let (language, t) = Self.reader(req)
        let others = try await ArticleTranslationRepository.families(of: [article.id], on: req.store.sql)
            .filter { $0.id != article.id && $0.isPublic }.sorted { $0.language < $1.language }
        var notes = ""
        if article.language != language, let mine = others.first(where: { $0.language == language }) {
            let words = PlaceholderTemplate.render(t["kb_read_in"] ?? "This article is also in {{language}}:", values: ["language": WebText.nativeNames[language] ?? language])
            notes += "<p class=\"read-in\">\(e(words)) <a href=\"/kb/\(mine.id.uuidString.lowercased())\" hreflang=\"\(e(mine.language))\" lang=\"\(e(mine.language))\">\(e(mine.title))</a></p>"
        }
        if !others.isEmpty {
            let links = others.map { "<a href=\"/kb/\($0.id.uuidString.lowercased())\" hreflang=\"\(e($0.language))\" lang=\"\(e($0.language))\">\(e(WebText.nativeNames[$0.language] ?? $0.language))</a>" }
            notes += "<p class=\"also-in\">\(e(t["kb_also_in"] ?? "Also in:")) \(links.joined(separator: " · "))</p>"
        }
        let paragraphs = article.body.components(separatedBy: "\n\n").map { "<p>\(e($0).replacingOccurrences(of: "\n", with: "<br>"))</p>" }.joined()
        let body = """
        \(notes)<article lang="\(e(article.language))">\(paragraphs)</article>
        <form method="post" action="/kb/\(article.id.uuidString.lowercased())/feedback"><fieldset><legend>\(e(t["kb_helpful"] ?? "Was this helpful?"))</legend>
        <button name="helpful" value="true">\(e(t["yes"] ?? "Yes"))</button> <button name="helpful" value="false">\(e(t["no"] ?? "No"))</button></fieldset></form>
        <p><a href="/kb">\(e(t["kb_back"] ?? "Back to the knowledge base"))</a></p>
        """
        return HTMLPage.response(Self.page(article.title, body, language, titleLanguage: article.language), allowForm: true)
    }

    @Sendable func feedback(req: Request) async throws -> Response {
        let article = try await published(req)
        let helpful = try req.content.decode(KnowledgeController.Feedback.self).helpful
        try await req.store.write { db in
            try await KnowledgeRepository.countVote(helpful: helpful, on: article.id, on: req.store.sql(db))
        }
        let (language, t) = Self.reader(req)
        let e = HTMLEntities.escape
        let body = "<p>\(e(t["kb_thanks"] ?? "Thanks for your feedback."))</p><p><a href=\"/kb\">\(e(t["kb_back"] ?? "Back to the knowledge base"))</a></p>"
        return HTMLPage.response(Self.page(t["kb_thanks_title"] ?? "Thank you", body, language))
    }

    /// A whole page in the reader's language; the title may be in the article's.
    static func page(_ title: String, _ body: String, _ language: String, titleLanguage: String? = nil) -> String {
        let e = HTMLEntities.escape
        let titleLang = titleLanguage.flatMap { $0 == language ? nil : " lang=\"\(e($0))\"" } ?? ""
        return """
        <!doctype html><html lang="\(e(language))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(e(title))</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1a1a1a}
        main{max-width:46rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}a{color:#1f4f7f}input{font:inherit;padding:.3rem}
        button{font:inherit;padding:.3rem .9rem}.also-in,.read-in{color:#444;font-size:.95rem}</style></head><body><main><h1\(titleLang)>\(e(title))</h1>\(body)</main></body></html>
        """
    }
}
