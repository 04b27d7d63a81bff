import CasebookCore
import Foundation
import SQLKit

/// Reading, writing, indexing and ranking knowledge articles.
enum KnowledgeRepository {
    static func view(_ row: any SQLRow, prefix: String) throws -> ArticleView {
        ArticleView(
            id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            status: ArticleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            audience: ArticleAudience(rawValue: try row.decode(column: "audience", as: String.self)) ?? .internal,
            language: try row.decode(column: "language", as: String.self), categoryID: try row.decode(column: "category_id", as: UUID?.self),
            productID: try row.decode(column: "product_id", as: UUID?.self), productVersionID: try row.decode(column: "product_version_id", as: UUID?.self),
            authorID: try row.decode(column: "author_id", as: UUID.self),
            sourceCase: try row.decode(column: "source_number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description },
            views: try row.decode(column: "views", as: Int.self), helpful: try row.decode(column: "helpful", as: Int.self),
            notHelpful: try row.decode(column: "not_helpful", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self), publishedAt: try row.decode(column: "published_at", as: Date?.self),
            translationOf: try row.decode(column: "translation_of", as: UUID?.self))
    }

    private static let select = "SELECT a.*, c.number AS source_number FROM knowledge_articles a LEFT JOIN cases c ON c.id = a.source_case_id"

    static func find(_ id: UUID, prefix: String, on sql: any SQLDatabase) async throws -> ArticleView? {
        try await sql.raw(SQLQueryString(select) + " WHERE a.id = \(bind: id)").first().map { try view($0, prefix: prefix) }
    }

    static func save(_ article: ArticleView, isNew: Bool, sourceCaseID: UUID? = nil, on sql: any SQLDatabase) async throws {
        if isNew {
            try await sql.insert(into: "knowledge_articles")
                .columns("id", "title", "body", "status", "audience", "language", "category_id", "product_id", "product_version_id", "author_id",
                         "source_case_id", "views", "helpful", "not_helpful", "created_at", "updated_at", "published_at", "translation_of")
                .values(SQLBind(article.id), SQLBind(article.title), SQLBind(article.body), SQLBind(article.status.rawValue),
                        SQLBind(article.audience.rawValue), SQLBind(article.language), SQLBind(article.categoryID), SQLBind(article.productID),
                        SQLBind(article.productVersionID), SQLBind(article.authorID), SQLBind(sourceCaseID), SQLBind(0), SQLBind(0), SQLBind(0),
                        SQLBind(article.createdAt), SQLBind(article.updatedAt), SQLBind(article.publishedAt), SQLBind(article.translationOf))
                .run()
        } else {
            try await sql.update("knowledge_articles").set("title", to: article.title).set("body", to: article.body)
                .set("status", to: article.status.rawValue).set("audience", to: article.audience.rawValue).set("language", to: article.language)
                .set("category_id", to: article.categoryID).set("product_id", to: article.productID).set("product_version_id", to: article.productVersionID)
                .set("updated_at", to: article.updatedAt).set("published_at", to: article.publishedAt).set("translation_of", to: article.translationOf)
                .where("id", .equal, article.id).run()
            try await sql.delete(from: "knowledge_terms").where("article_id", .equal, article.id).run()
        }
        let terms = KnowledgeTerms.index(title: article.title, body: article.body)
        guard !terms.isEmpty else { return }
        var insert = sql.insert(into: "knowledge_terms").columns("article_id", "term", "weight")
        for (term, weight) in terms.sorted(by: { $0.key < $1.key }).prefix(2_000) {
            insert = insert.values(SQLBind(article.id), SQLBind(term), SQLBind(weight))
        }
        try await insert.run()
    }

    /// What a reader may see: staff everything; customers and the public only published public articles.
    struct Scope: Sendable {
        var staff: Bool
        var language: String?
        var productVersionID: UUID?
    }

    /// Articles ranked for the text: the sum of matched term weights, scaled by the share of query terms matched,
    /// with a bonus for the reader's product version.
    static func rank(_ text: String, scope: Scope, limit: Int, on sql: any SQLDatabase) async throws -> [(article: UUID, title: String, body: String, score: Double)] {
        let terms = KnowledgeTerms.query(text)
        guard !terms.isEmpty else { return [] }
        var query = SQLQueryString("""
            SELECT a.id, a.title, a.body, a.product_version_id, SUM(t.weight) AS total, COUNT(*) AS matched FROM knowledge_terms t
            JOIN knowledge_articles a ON a.id = t.article_id WHERE t.term IN (\(binds: terms)) AND a.status = 'published'
            """)
        if !scope.staff { query = query + " AND a.audience = 'public'" }
        if let language = scope.language { query = query + " AND a.language = \(bind: language)" }
        query = query + " GROUP BY a.id, a.title, a.body, a.product_version_id ORDER BY total DESC LIMIT 100"
        var ranked: [(UUID, String, String, Double)] = []
        for row in try await sql.raw(query).all() {
            let total = try row.decode(column: "total", as: Double.self)
            let matched = try row.decode(column: "matched", as: Int.self)
            var score = total * Double(matched) / Double(terms.count)
            if let version = scope.productVersionID, try row.decode(column: "product_version_id", as: UUID?.self) == version { score *= 1.5 }
            ranked.append((try row.decode(column: "id", as: UUID.self), try row.decode(column: "title", as: String.self),
                           try row.decode(column: "body", as: String.self), (score * 100).rounded() / 100))
        }
        return Array(ranked.sorted { $0.3 > $1.3 }.prefix(limit))
    }

    /// Which of these articles a customer may read (public and published), so an agent may send them.
    static func shareable(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await sql.select().column("id").from("knowledge_articles").where("id", .in, SQLBind.group(Array(ids)))
            .where("audience", .equal, "public").where("status", .equal, "published").all().map { try $0.decode(column: "id", as: UUID.self) })
    }

    /// These articles, in no particular order.
    static func find(ids: [UUID], prefix: String, on sql: any SQLDatabase) async throws -> [ArticleView] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw(SQLQueryString(select) + " WHERE a.id IN (\(binds: ids))").all().map { try view($0, prefix: prefix) }
    }

    /// The newest 200 articles; customers see published public ones only.
    static func list(publicOnly: Bool, status: ArticleStatus?, language: String?, prefix: String, on sql: any SQLDatabase) async throws -> [ArticleView] {
        var query = SQLQueryString(select) + " WHERE 1 = 1"
        if publicOnly { query = query + " AND a.status = 'published' AND a.audience = 'public'" }
        if let status { query = query + " AND a.status = \(bind: status.rawValue)" }
        if let language { query = query + " AND a.language = \(bind: language)" }
        return try await sql.raw(query + " ORDER BY a.updated_at DESC LIMIT 200").all().map { try view($0, prefix: prefix) }
    }

    /// The most read published public articles.
    static func mostRead(limit: Int, on sql: any SQLDatabase) async throws -> [(id: UUID, title: String, body: String)] {
        try await sql.raw("""
            SELECT id, title, body FROM knowledge_articles WHERE status = 'published' AND audience = 'public' ORDER BY views DESC, title LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self), try $0.decode(column: "body", as: String.self)) }
    }

    static func countView(of id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE knowledge_articles SET views = views + 1 WHERE id = \(bind: id)").run()
    }

    /// Counts a reader's "was this helpful?" answer.
    static func countVote(helpful: Bool, on id: UUID, on sql: any SQLDatabase) async throws {
        let column = helpful ? "helpful" : "not_helpful"
        try await sql.raw("UPDATE knowledge_articles SET \(ident: column) = \(ident: column) + 1 WHERE id = \(bind: id)").run()
    }

    /// The articles linked to a case, oldest link first; customers see published public ones only.
    static func linked(to caseID: UUID, publicOnly: Bool, on sql: any SQLDatabase) async throws -> [(id: UUID, title: String, body: String)] {
        var query = SQLQueryString("""
            SELECT a.id, a.title, a.body FROM case_articles l JOIN knowledge_articles a ON a.id = l.article_id WHERE l.case_id = \(bind: caseID)
            """)
        if publicOnly { query = query + " AND a.audience = 'public' AND a.status = 'published'" }
        return try await sql.raw(query + " ORDER BY l.created_at").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self), try $0.decode(column: "body", as: String.self)) }
    }

    /// Links an article to a case; false when it was linked already.
    static func link(caseID: UUID, articleID: UUID, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.insert(into: "case_articles").columns("case_id", "article_id", "linked_by", "created_at")
            .values(SQLBind(caseID), SQLBind(articleID), SQLBind(userID), SQLBind(now))
            .ignoringConflicts(with: ["case_id", "article_id"]).returning("case_id").all().isEmpty
    }
}
