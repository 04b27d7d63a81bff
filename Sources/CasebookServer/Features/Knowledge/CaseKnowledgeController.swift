import CasebookCore
import SQLKit
import Vapor

/// `/cases/{reference}/suggestions`, `/articles` and `/article-draft`: knowledge on the case page.
struct CaseKnowledgeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("cases", ":reference")
        one.get("suggestions", use: suggestions)
        one.get("articles", use: linked)
        one.post("articles", use: link)
        one.post("article-draft", use: draft)
    }

    private func readable(_ req: Request) async throws -> CaseRecord {
        let record = try await req.readableCase()
        return record
    }

    /// Articles that may answer this case, for the agent (internal ones included).
    @Sendable func suggestions(req: Request) async throws -> [ArticleSuggestion] {
        try await suggestions(for: try await readable(req), req: req)
    }

    /// The suggestions for a case already read (the case page has it in hand).
    func suggestions(for record: CaseRecord, req: Request) async throws -> [ArticleSuggestion] {
        try req.authorize(.readInternal)
        let first = try await SimilarCaseRepository.firstText(of: [record.id], on: req.store.sql)[record.id] ?? ""
        let ranked = try await KnowledgeRepository.rank(record.subject + " " + record.subject + " " + first,
                                                   scope: .init(staff: true, productVersionID: record.productVersionID), limit: 5, on: req.store.sql)
        return ranked.map { ArticleSuggestion(id: $0.article, title: $0.title, snippet: ArticleView.snippet($0.body), score: $0.score, url: nil) }
    }

    @Sendable func linked(req: Request) async throws -> [ArticleSuggestion] {
        try await linked(to: try await readable(req), req: req)
    }

    /// The articles linked to a case already read; customers see the public, published ones only.
    func linked(to record: CaseRecord, req: Request) async throws -> [ArticleSuggestion] {
        let staff = try req.actor.role.isStaff
        return try await KnowledgeRepository.linked(to: record.id, publicOnly: !staff, on: req.store.sql).map { id, title, body in
            ArticleSuggestion(id: id, title: title, snippet: ArticleView.snippet(body), score: 0, url: "/kb/\(id.uuidString.lowercased())")
        }
    }

    struct LinkRequest: Content {
        var articleID: UUID

        enum CodingKeys: String, CodingKey { case articleID = "article_id" }
    }

    /// "Solved by this article": recorded on the case's timeline (public when the article is).
    @Sendable func link(req: Request) async throws -> HTTPStatus {
        let record = try await readable(req)
        let current = try req.current
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        let input = try req.content.decode(LinkRequest.self)
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        try await req.store.write { db in
            let sql = req.store.sql(db)
            guard let article = try await KnowledgeRepository.find(input.articleID, prefix: prefix, on: sql) else { throw Problem.invalid("article_id", "names no article") }
            guard try await KnowledgeRepository.link(caseID: record.id, articleID: article.id, by: current.user.id, at: now, on: sql) else { return }
            _ = try await CaseLookup.findForUpdate(String(record.number), prefix: prefix, at: now, on: sql)
            var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
            let visibility: Visibility = article.audience == .public && article.status == .published ? .public : .internal
            timeline.record(kind: .articleLinked, visibility: visibility, field: "article", new: article.title)
            try await timeline.write(on: sql)
        }
        return .noContent
    }

    /// Starts a draft article from the case: its problem, and the last public answer as the solution.
    @Sendable func draft(req: Request) async throws -> Response {
        let record = try await readable(req)
        let current = try req.current
        try req.authorize(.writeKnowledge)
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        let article = try await req.store.write { db -> ArticleView in
            let sql = req.store.sql(db)
            let messages = try await ConversationRepository.messages(caseID: record.id, includeInternal: false, on: sql)
            let staff = try await UserRepository.staffIDs(on: sql)
            let problem = messages.first?.text ?? record.subject
            guard let solution = messages.last(where: { $0.authorID.map(staff.contains) ?? false })?.text else {
                throw Problem.conflict("The case has no public answer from staff to turn into an article yet.")
            }
            let article = ArticleView(id: RecordID.make(), title: String(record.subject.prefix(250)), body: "Problem\n\n\(problem)\n\nSolution\n\n\(solution)",
                                      status: .draft, audience: .internal, language: "en", productID: record.productID,
                                      productVersionID: record.productVersionID, authorID: current.user.id,
                                      sourceCase: Reference(prefix: prefix, number: record.number).description, views: 0, helpful: 0, notHelpful: 0,
                                      createdAt: now, updatedAt: now)
            var categorised = article
            categorised.categoryID = record.categoryID
            try await KnowledgeRepository.save(categorised, isNew: true, sourceCaseID: record.id, on: sql)
            _ = try await KnowledgeRepository.link(caseID: record.id, articleID: article.id, by: current.user.id, at: now, on: sql)
            return categorised
        }
        return try await article.encodeResponse(status: .created, for: req)
    }
}
