import Fluent
import SQLKit

/// Knowledge articles, their search terms, the cases they solved, and the suggestions shown (for deflection).
struct CreateKnowledge: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("knowledge_articles")
            .id()
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("audience", .string, .required)
            .field("language", .string, .required)
            .field("category_id", .uuid)
            .field("product_id", .uuid)
            .field("product_version_id", .uuid)
            .field("author_id", .uuid, .required)
            .field("source_case_id", .uuid)
            .field("views", .int, .required)
            .field("helpful", .int, .required)
            .field("not_helpful", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("published_at", .datetime)
            .create()
        try await database.schema("knowledge_terms")
            .field("article_id", .uuid, .required, .references("knowledge_articles", "id"))
            .field("term", .string, .required)
            .field("weight", .double, .required)
            .unique(on: "article_id", "term")
            .create()
        try await database.schema("case_articles")
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("article_id", .uuid, .required, .references("knowledge_articles", "id"))
            .field("linked_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id", "article_id")
            .create()
        try await database.schema("knowledge_suggestions")
            .id()
            .field("user_id", .uuid)
            .field("query", .string, .required)
            .field("article_ids", .string, .required)
            .field("shown_at", .datetime, .required)
            .field("read_article_id", .uuid)
            .field("read_at", .datetime)
            .field("filed_case_id", .uuid)
            .field("filed_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "knowledge_terms_term").on("knowledge_terms").column("term").run()
        try await sql.create(index: "case_articles_article").on("case_articles").column("article_id").run()
        try await sql.create(index: "knowledge_suggestions_shown").on("knowledge_suggestions").column("shown_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["knowledge_suggestions", "case_articles", "knowledge_terms", "knowledge_articles"] { try await database.schema(table).delete() }
    }
}
