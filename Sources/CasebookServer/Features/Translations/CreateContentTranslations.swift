import Fluent
import SQLKit

/// Admins' translations of the content customers read (categories, intake questions, workarounds), and what each
/// portal filing showed untranslated.
struct CreateContentTranslations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("content_translations")
            .field("kind", .string, .required)
            .field("item_id", .uuid, .required)
            .field("field", .string, .required)
            .field("language", .string, .required)
            .field("text", .string, .required)
            // The original's words when this was translated: a later change to the original makes it out of date.
            .field("source", .string, .required)
            .field("updated_by", .uuid, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "kind", "item_id", "field", "language")
            .create()
        // The language a customer filed the portal's form in, and the questions it showed them untranslated: the agent
        // reading the answers is told.
        // One column per change: SQLite adds a single column per ALTER TABLE.
        try await database.schema("case_intake").field("asked_in", .string).update()
        try await database.schema("case_intake").field("untranslated", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_intake").deleteField("untranslated").update()
        try await database.schema("case_intake").deleteField("asked_in").update()
        try await database.schema("content_translations").delete()
    }
}
