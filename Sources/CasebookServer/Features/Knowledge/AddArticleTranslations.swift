import Fluent
import SQLKit

/// An article may be the translation of another (its original): readers get the version in their language.
struct AddArticleTranslations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("knowledge_articles").field("translation_of", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "knowledge_articles_translation_of").on("knowledge_articles").column("translation_of").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "knowledge_articles_translation_of").run() }
        try await database.schema("knowledge_articles").deleteField("translation_of").update()
    }
}
