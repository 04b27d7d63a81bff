import CasebookCore
import SQLKit
import Vapor

/// `/knowledge`: articles, search and suggestions, feedback, and the deflection figure.
struct KnowledgeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let knowledge = routes.grouped("knowledge")
        knowledge.get("articles", use: list)
        knowledge.post("articles", use: create)
        knowledge.get("articles", ":id", use: show)
        knowledge.patch("articles", ":id", use: update)
        knowledge.post("articles", ":id", "feedback", use: feedback)
        knowledge.get("suggest", use: suggest)
        knowledge.post("suggestions", ":id", "read", use: read)
        routes.get("reports", "deflection", use: deflection)
    }

    private func prefix(_ req: Request) -> String { req.casebook.configuration.referencePrefix }
    private func isStaff(_ req: Request) throws -> Bool { try req.actor.role.isStaff }

    /// A customer sees published public articles only; anything else is 404 to them.
    private func visible(_ req: Request, _ id: UUID?) async throws -> ArticleView {
        guard let id, let article = try await KnowledgeRepository.find(id, prefix: prefix(req), on: req.store.sql),
              try isStaff(req) || (article.status == .published && article.audience == .public)
        else { throw Problem.notFound("The article") }
        return article
    }

    @Sendable func list(req: Request) async throws -> [ArticleView] {
        let staff = try isStaff(req)
        let prefix = prefix(req)
        if let text = req.query[String.self, at: "q"], !text.isEmpty {
            let ranked = try await KnowledgeRepository.rank(text, scope: .init(staff: staff, language: req.query[String.self, at: "language"]), limit: 25,
                                                       on: req.store.sql)
            let views = try await KnowledgeRepository.find(ids: ranked.map(\.article), prefix: prefix, on: req.store.sql)
            let byID = Dictionary(uniqueKeysWithValues: views.map { ($0.id, $0) })
            return ranked.compactMap { byID[$0.article] }
        }
        var status: ArticleStatus?
        if let asked = req.query[String.self, at: "status"] {
            guard let known = ArticleStatus(rawValue: asked) else { throw Problem.badRequest("Query parameter 'status' must be draft, published or archived.") }
            status = known
        }
        return try await KnowledgeRepository.list(publicOnly: !staff, status: status, language: req.query[String.self, at: "language"], prefix: prefix,
                                                  on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.writeKnowledge)
        let current = try req.current
        let input = try req.content.decode(ArticleWrite.self)
        guard input.title != nil, input.body != nil else { throw Problem.invalid(input.title == nil ? "title" : "body", "is required") }
        let now = req.now
        var article = ArticleView(id: RecordID.make(), title: "", body: "", status: .draft, audience: .internal, language: "en", authorID: current.user.id,
                                  views: 0, helpful: 0, notHelpful: 0, createdAt: now, updatedAt: now)
        try await Self.apply(input, to: &article, now: now, on: req.store.sql)
        let finished = article
        try await req.store.write { db in try await KnowledgeRepository.save(finished, isNew: true, on: req.store.sql(db)) }
        return try await finished.encodeResponse(status: .created, for: req)
    }

    static func apply(_ input: ArticleWrite, to article: inout ArticleView, now: Date, on sql: any SQLDatabase) async throws {
        if let title = input.title { article.title = try Validate.name(title, field: "title", max: 250) }
        if let body = input.body {
            let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 100_000 else { throw Problem.invalid("body", "must be 1 to 100000 characters") }
            article.body = trimmed
        }
        if let status = input.status {
            if status == .published && article.publishedAt == nil { article.publishedAt = now }
            article.status = status
        }
        if let audience = input.audience { article.audience = audience }
        if let language = input.language { article.language = try Validate.language(language).lowercased() }
        if let value = input.categoryID.asDoubleOptional { article.categoryID = value }
        if let value = input.productID.asDoubleOptional { article.productID = value }
        if let value = input.productVersionID.asDoubleOptional { article.productVersionID = value }
        if let version = article.productVersionID {
            guard let product = try await RelatedRecordRepository.product(ofVersion: version, on: sql) else { throw Problem.invalid("product_version_id", "names no product version") }
            article.productID = product
        }
        if let category = article.categoryID, try await !RelatedRecordRepository.exists(CategoryModel.schema, category, on: sql) {
            throw Problem.invalid("category_id", "names no category")
        }
        if let value = input.translationOf.asDoubleOptional { article.translationOf = value }
        try await ArticleTranslationRules.check(article, on: sql)
        article.updatedAt = now
    }

    @Sendable func show(req: Request) async throws -> ArticleView {
        var article = try await visible(req, req.parameters.get("id", as: UUID.self))
        let staff = try req.actor.role.isStaff
        article.translations = try await ArticleTranslationRules.links(of: article, on: req.store.sql)
        if !staff {
            let readable = try await KnowledgeRepository.shareable(Set(article.translations?.map(\.id) ?? []), on: req.store.sql)
            article.translations = article.translations?.filter { readable.contains($0.id) }
        }
        if article.status == .published {
            let id = article.id
            try await req.store.write { db in
                try await KnowledgeRepository.countView(of: id, on: req.store.sql(db))
            }
        }
        return article
    }

    @Sendable func update(req: Request) async throws -> ArticleView {
        try req.authorize(.writeKnowledge)
        let input = try req.content.decode(ArticleWrite.self)
        let now = req.now
        let prefix = prefix(req)
        return try await req.store.write { db -> ArticleView in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self), var article = try await KnowledgeRepository.find(id, prefix: prefix, on: sql) else {
                throw Problem.notFound("The article")
            }
            try await Self.apply(input, to: &article, now: now, on: sql)
            try await KnowledgeRepository.save(article, isNew: false, on: sql)
            return article
        }
    }

    struct Feedback: Content {
        var helpful: Bool
    }

    @Sendable func feedback(req: Request) async throws -> HTTPStatus {
        let article = try await visible(req, req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(Feedback.self)
        try await req.store.write { db in
            try await KnowledgeRepository.countVote(helpful: input.helpful, on: article.id, on: req.store.sql(db))
        }
        return .noContent
    }

    /// Suggestions while a customer types a request; remembered, so reading one and not filing counts as a deflection.
    @Sendable func suggest(req: Request) async throws -> SuggestionsView {
        let current = try req.current
        let text = req.query[String.self, at: "q"] ?? ""
        guard text.count <= 5_000 else { throw Problem.badRequest("Query parameter 'q' is too long.") }
        var version: UUID?
        if let value = req.query[String.self, at: "product_version_id"] {
            guard let id = UUID(uuidString: value) else { throw Problem.badRequest("Query parameter 'product_version_id' must be a UUID.") }
            version = id
        }
        let ranked = try await KnowledgeRepository.rank(text, scope: .init(staff: current.actor.role.isStaff, language: req.query[String.self, at: "language"],
                                                                      productVersionID: version), limit: 5, on: req.store.sql)
        var articles = ranked.map { ArticleSuggestion(id: $0.article, title: $0.title, snippet: ArticleView.snippet($0.body), score: $0.score,
                                                      url: "/kb/\($0.article.uuidString.lowercased())") }
        if !current.actor.role.isStaff, req.query[String.self, at: "language"] == nil {
            // A customer reads each answer in their own language where it has been translated, the original elsewhere.
            let scores = Dictionary(ranked.map { ($0.article, $0.score) }, uniquingKeysWith: max)
            articles = try await KnowledgeLanguages.picks(ranked.map(\.article), for: req.webLanguage(), on: req.store.sql).map { found, version in
                ArticleSuggestion(id: version.id, title: version.title, snippet: ArticleView.snippet(version.body), score: scores[found] ?? 0,
                                  url: "/kb/\(version.id.uuidString.lowercased())")
            }
        }
        guard !articles.isEmpty, !current.actor.role.isStaff else { return SuggestionsView(suggestionID: nil, articles: articles) }
        let id = RecordID.make()
        let now = req.now, shown = articles.map(\.id)
        try await req.store.write { db in
            try await KnowledgeSuggestionRepository.record(id, userID: current.user.id, query: text, articleIDs: shown, at: now,
                                                           on: req.store.sql(db))
        }
        return SuggestionsView(suggestionID: id, articles: articles)
    }

    struct ReadRequest: Content {
        var articleID: UUID

        enum CodingKeys: String, CodingKey { case articleID = "article_id" }
    }

    @Sendable func read(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        let input = try req.content.decode(ReadRequest.self)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The suggestion") }
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            guard let suggestion = try await KnowledgeSuggestionRepository.find(id, on: sql), suggestion.userID == current.user.id
            else { throw Problem.notFound("The suggestion") }
            guard suggestion.articleIDs.contains(input.articleID.uuidString.lowercased()) else {
                throw Problem.invalid("article_id", "was not among the suggestions")
            }
            try await KnowledgeSuggestionRepository.markRead(id, articleID: input.articleID, at: now, on: sql)
        }
        return .noContent
    }

    /// Deflection: suggestions read whose visitor did not file a case with them.
    @Sendable func deflection(req: Request) async throws -> DeflectionReport {
        try req.authorize(.readReports)
        let (shown, read, filed) = try await KnowledgeSuggestionRepository.counts(on: req.store.sql)
        let deflected = read - filed
        return DeflectionReport(shown: shown, read: read, readThenFiled: filed, deflected: deflected,
                                deflectionPercent: shown == 0 ? 0 : (1_000 * Double(deflected) / Double(shown)).rounded() / 10)
    }
}
