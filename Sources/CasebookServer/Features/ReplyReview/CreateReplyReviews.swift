import Fluent
import SQLKit

/// Replies that wait for a colleague fluent in their language, and the languages each person writes well.
struct CreateReplyReviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Comma-separated language codes; empty means "the language of my profile".
        try await database.schema("users").field("writes_languages", .string).update()
        try await database.schema("reply_reviews")
            .id()
            .field("case_id", .uuid, .required)
            .field("author_id", .uuid, .required)
            .field("language", .string, .required)
            .field("reason", .string, .required)
            .field("text", .string, .required)
            .field("html", .string)
            // What the author asked the reply to do to the case, applied when it is sent.
            .field("status_after", .string)
            .field("minutes", .int)
            // The files, already in the content store: a JSON list of name, type, size and digest.
            .field("attachments", .string)
            .field("state", .string, .required)
            .field("created_at", .datetime, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .field("note", .string)
            .field("message_id", .uuid)
            .create()
        // Cases whose every public reply waits for review, because a rule said so.
        try await database.schema("case_review_rules")
            .field("case_id", .uuid, .identifier(auto: false))
            .field("rule_name", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "reply_reviews_waiting").on("reply_reviews").column("state").column("language").column("created_at").run()
        try await sql.create(index: "reply_reviews_case").on("reply_reviews").column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_review_rules").delete()
        try await database.schema("reply_reviews").delete()
        try await database.schema("users").deleteField("writes_languages").update()
    }
}
