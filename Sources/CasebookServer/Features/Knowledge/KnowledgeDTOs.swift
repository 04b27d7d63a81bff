import CasebookCore
import Foundation
import Vapor

/// Body of `POST /knowledge/articles` and `PATCH /knowledge/articles/{id}`.
struct ArticleWrite: Decodable, Sendable {
    var title: String?
    var body: String?
    var status: ArticleStatus?
    var audience: ArticleAudience?
    var language: String?
    var categoryID: PatchValue<UUID> = .absent
    var productID: PatchValue<UUID> = .absent
    var productVersionID: PatchValue<UUID> = .absent
    /// The article this one translates (its original); null makes it an original again.
    var translationOf: PatchValue<UUID> = .absent

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, body, status, audience, language
        case categoryID = "category_id", productID = "product_id", productVersionID = "product_version_id", translationOf = "translation_of"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        body = try c.decodeIfPresent(String.self, forKey: .body)
        status = try c.decodeIfPresent(ArticleStatus.self, forKey: .status)
        audience = try c.decodeIfPresent(ArticleAudience.self, forKey: .audience)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        categoryID = try c.decodePatch(UUID.self, forKey: .categoryID)
        productID = try c.decodePatch(UUID.self, forKey: .productID)
        productVersionID = try c.decodePatch(UUID.self, forKey: .productVersionID)
        translationOf = try c.decodePatch(UUID.self, forKey: .translationOf)
    }
}

/// A knowledge article as the API shows it.
struct ArticleView: Content {
    var id: UUID
    var title: String
    var body: String
    var status: ArticleStatus
    var audience: ArticleAudience
    var language: String
    var categoryID: UUID?
    var productID: UUID?
    var productVersionID: UUID?
    var authorID: UUID
    var sourceCase: String?
    var views: Int
    var helpful: Int
    var notHelpful: Int
    var createdAt: Date
    var updatedAt: Date
    var publishedAt: Date?
    /// The original this article translates, when it is a translation.
    var translationOf: UUID? = nil
    /// The other articles of its family (its original and the original's translations), on a single article's answer.
    var translations: [ArticleLanguageLink]? = nil

    enum CodingKeys: String, CodingKey {
        case id, title, body, status, audience, language, views, helpful, translations
        case categoryID = "category_id", productID = "product_id", productVersionID = "product_version_id", authorID = "author_id"
        case sourceCase = "source_case", notHelpful = "not_helpful", createdAt = "created_at", updatedAt = "updated_at", publishedAt = "published_at"
        case translationOf = "translation_of"
    }
}

/// Another language's version of an article.
struct ArticleLanguageLink: Content, Sendable, Equatable {
    var id: UUID
    var language: String
    var title: String
    /// Whether it is the family's original.
    var original: Bool
}

/// One suggested article, with how well it matched.
struct ArticleSuggestion: Content {
    var id: UUID
    var title: String
    var snippet: String
    var score: Double
    var url: String?
}

/// What `GET /knowledge/suggest` answers: the articles and the id to quote when reading one or filing anyway.
struct SuggestionsView: Content {
    var suggestionID: UUID?
    var articles: [ArticleSuggestion]

    enum CodingKeys: String, CodingKey {
        case articles
        case suggestionID = "suggestion_id"
    }
}

/// The deflection figure: of the portal visitors shown suggestions, how many read one and did not file.
struct DeflectionReport: Content {
    var shown: Int
    var read: Int
    var readThenFiled: Int
    var deflected: Int
    var deflectionPercent: Double

    enum CodingKeys: String, CodingKey {
        case shown, read, deflected
        case readThenFiled = "read_then_filed", deflectionPercent = "deflection_percent"
    }
}

extension ArticleView {
    /// The first 200 characters of an article body on one line, as search results and suggestions show it.
    static func snippet(_ body: String) -> String {
        let flat = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= 200 ? flat : String(flat.prefix(197)) + "…"
    }
}
