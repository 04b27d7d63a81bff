import CasebookCore
import SQLKit
import Vapor

/// `/kb`: the public knowledge base (published public articles), searchable, with "was this helpful?".
struct KnowledgePortalController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let kb = routes.grouped("kb")
        kb.get(use: index)
        kb.get(":id", use: article)
        kb.post(":id", "feedback", use: feedback)
    }

    private static func spanish(_ req: Request) -> Bool {
        (req.headers.first(name: .acceptLanguage) ?? "").lowercased().hasPrefix("es")
    }

    @Sendable func index(req: Request) async throws -> Response {
        let e = HTMLEntities.escape
        let es = Self.spanish(req)
        let text = String((req.query[String.self, at: "q"] ?? "").prefix(300))
        var items: [(UUID, String, String)] = []
        if text.isEmpty {
            items = try await KnowledgeRepository.mostRead(limit: 50, on: req.store.sql)
        } else {
            items = try await KnowledgeRepository.rank(text, scope: .init(staff: false), limit: 20, on: req.store.sql).map { ($0.article, $0.title, $0.body) }
        }
        let list = items.isEmpty ? "<p>\(es ? "No hay artículos que coincidan." : "No articles match.")</p>"
            : "<ul>" + items.map { "<li><a href=\"/kb/\($0.0.uuidString.lowercased())\">\(e($0.1))</a><p>\(e(ArticleView.snippet($0.2)))</p></li>" }.joined() + "</ul>"
        let body = """
        <form method="get" role="search"><label for="q">\(es ? "Buscar" : "Search")</label>
        <input id="q" name="q" type="search" value="\(e(text))"><button type="submit">\(es ? "Buscar" : "Search")</button></form>\(list)
        """
        return HTMLPage.response(Self.page(es ? "Base de conocimiento" : "Knowledge base", body, es), allowForm: true)
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
        let es = Self.spanish(req)
        let paragraphs = article.body.components(separatedBy: "\n\n").map { "<p>\(e($0).replacingOccurrences(of: "\n", with: "<br>"))</p>" }.joined()
        let body = """
        <article>\(paragraphs)</article>
        <form method="post" action="/kb/\(article.id.uuidString.lowercased())/feedback"><fieldset><legend>\(es ? "¿Le ha sido útil?" : "Was this helpful?")</legend>
        <button name="helpful" value="true">\(es ? "Sí" : "Yes")</button> <button name="helpful" value="false">No</button></fieldset></form>
        <p><a href="/kb">\(es ? "Volver" : "Back to the knowledge base")</a></p>
        """
        return HTMLPage.response(Self.page(article.title, body, es), allowForm: true)
    }

    @Sendable func feedback(req: Request) async throws -> Response {
        let article = try await published(req)
        let helpful = try req.content.decode(KnowledgeController.Feedback.self).helpful
        try await req.store.write { db in
            try await KnowledgeRepository.countVote(helpful: helpful, on: article.id, on: req.store.sql(db))
        }
        let es = Self.spanish(req)
        return HTMLPage.response(Self.page(es ? "Gracias" : "Thank you", "<p>\(es ? "Gracias por su opinión." : "Thanks for your feedback.")</p><p><a href=\"/kb\">\(es ? "Volver" : "Back")</a></p>", es))
    }

    static func page(_ title: String, _ body: String, _ spanish: Bool) -> String {
        """
        <!doctype html><html lang="\(spanish ? "es" : "en")"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(HTMLEntities.escape(title))</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1a1a1a}
        main{max-width:46rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}a{color:#1f4f7f}input{font:inherit;padding:.3rem}
        button{font:inherit;padding:.3rem .9rem}</style></head><body><main><h1>\(HTMLEntities.escape(title))</h1>\(body)</main></body></html>
        """
    }
}
