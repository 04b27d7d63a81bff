import CasebookCore
import Foundation
import SQLKit

/// Articles linked as translations of one original: the original and its translations form one family, one
/// article per language.
enum ArticleTranslationRepository {
    /// One article of a family, as a reader picks among languages.
    struct Version: Sendable, Equatable {
        var id: UUID
        var original: UUID
        var language: String
        var title: String
        var body: String
        var isPublic: Bool
    }

    /// Every article of the families these articles belong to (the originals and all their translations).
    static func families(of ids: [UUID], on sql: any SQLDatabase) async throws -> [Version] {
        guard !ids.isEmpty else { return [] }
        // A family is named by its original: an article's own id, or the one it translates.
        let roots = try await sql.select().column("id").column("translation_of").from("knowledge_articles").where("id", .in, ids).all().map {
            try $0.decode(column: "translation_of", as: UUID?.self) ?? $0.decode(column: "id", as: UUID.self)
        }
        guard !roots.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT a.id, a.translation_of, a.language, a.title, a.body, a.status, a.audience FROM knowledge_articles a
            WHERE a.id IN (\(binds: roots)) OR a.translation_of IN (\(binds: roots))
            """).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            return Version(id: id, original: try row.decode(column: "translation_of", as: UUID?.self) ?? id,
                           language: try row.decode(column: "language", as: String.self), title: try row.decode(column: "title", as: String.self),
                           body: try row.decode(column: "body", as: String.self),
                           isPublic: try row.decode(column: "status", as: String.self) == ArticleStatus.published.rawValue
                               && row.decode(column: "audience", as: String.self) == ArticleAudience.public.rawValue)
        }
    }

    /// The original an article translates, when it is one.
    static func original(of id: UUID, on sql: any SQLDatabase) async throws -> (translationOf: UUID?, language: String, title: String)? {
        try await sql.select().columns("translation_of", "language", "title").from("knowledge_articles").where("id", .equal, id).first().map {
            (try $0.decode(column: "translation_of", as: UUID?.self), try $0.decode(column: "language", as: String.self), try $0.decode(column: "title", as: String.self))
        }
    }

    /// The translation of `original` into `language` other than `except`, if one exists.
    static func translation(of original: UUID, language: String, except: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("title").from("knowledge_articles").where("translation_of", .equal, original)
            .where("language", .equal, language).where("id", .notEqual, except).first()?.decode(column: "title", as: String.self)
    }

    /// Whether any article names this one as its original.
    static func hasTranslations(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("knowledge_articles").where("translation_of", .equal, id).limit(1).first() != nil
    }

    static func setOriginal(_ original: UUID?, of id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("knowledge_articles").set("translation_of", to: original).where("id", .equal, id).run()
    }

    /// Published public originals in another language with no published public version in `language`, most read first.
    static func untranslated(into language: String, limit: Int, on sql: any SQLDatabase) async throws -> [(id: UUID, title: String, language: String)] {
        try await sql.raw("""
            SELECT a.id, a.title, a.language FROM knowledge_articles a
            WHERE a.status = 'published' AND a.audience = 'public' AND a.translation_of IS NULL AND a.language <> \(bind: language)
              AND NOT EXISTS (SELECT 1 FROM knowledge_articles t WHERE t.translation_of = a.id AND t.language = \(bind: language)
                                AND t.status = 'published' AND t.audience = 'public')
            ORDER BY a.views DESC, a.title LIMIT \(bind: limit)
            """).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self), try $0.decode(column: "language", as: String.self))
        }
    }
}
