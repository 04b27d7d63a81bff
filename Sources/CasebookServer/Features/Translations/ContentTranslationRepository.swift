import CasebookCore
import Foundation
import SQLKit

/// The `content_translations` table: one row per text, item and language.
enum ContentTranslationRepository {
    /// Every translation into `language` (all languages when nil), optionally of one kind.
    static func all(language: String?, kind: TranslatableKind? = nil, on sql: any SQLDatabase) async throws -> [ContentTranslation] {
        var query = sql.select().columns("kind", "item_id", "field", "language", "text", "source").from("content_translations")
        if let language { query = query.where("language", .equal, language) }
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        return try await query.all().compactMap(decode)
    }

    /// The translations into `language` of these items of one kind: what one page shows.
    static func of(_ kind: TranslatableKind, items: [UUID], language: String, on sql: any SQLDatabase) async throws -> [ContentTranslation] {
        guard !items.isEmpty else { return [] }
        return try await sql.select().columns("kind", "item_id", "field", "language", "text", "source").from("content_translations")
            .where("kind", .equal, kind.rawValue).where("item_id", .in, SQLBind.group(items)).where("language", .equal, language)
            .all().compactMap(decode)
    }

    /// Writes a translation, replacing the one before.
    static func save(_ translation: ContentTranslation, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await delete(translation.kind, translation.itemID, translation.field, language: translation.language, on: sql)
        try await sql.insert(into: "content_translations")
            .columns("kind", "item_id", "field", "language", "text", "source", "updated_by", "updated_at")
            .values(SQLBind(translation.kind.rawValue), SQLBind(translation.itemID), SQLBind(translation.field), SQLBind(translation.language),
                    SQLBind(translation.text), SQLBind(translation.source), SQLBind(userID), SQLBind(now))
            .run()
    }

    static func delete(_ kind: TranslatableKind, _ itemID: UUID, _ field: String, language: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "content_translations").where("kind", .equal, kind.rawValue).where("item_id", .equal, itemID)
            .where("field", .equal, field).where("language", .equal, language).run()
    }

    /// An item's translations go with it (a deleted problem).
    static func deleteAll(of kind: TranslatableKind, _ itemID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "content_translations").where("kind", .equal, kind.rawValue).where("item_id", .equal, itemID).run()
    }

    private static func decode(_ row: any SQLRow) throws -> ContentTranslation? {
        guard let kind = TranslatableKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
        return ContentTranslation(kind: kind, itemID: try row.decode(column: "item_id", as: UUID.self), field: try row.decode(column: "field", as: String.self),
                                  language: try row.decode(column: "language", as: String.self), text: try row.decode(column: "text", as: String.self),
                                  source: try row.decode(column: "source", as: String.self))
    }
}
