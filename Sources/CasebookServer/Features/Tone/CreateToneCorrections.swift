import Fluent
import SQLKit

/// Agents' corrections of the tone read from a customer's message: what it was read as, what it is, by whom.
/// They are counted on the tone report and can be exported as a labelled set for `casebook tone evaluate`.
struct CreateToneCorrections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("tone_corrections")
            .id()
            .field("message_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("from_tone", .string, .required)
            .field("to_tone", .string, .required)
            // The language the message was written in, as detected when it was corrected.
            .field("language", .string, .required)
            .field("corrected_by", .uuid)
            .field("corrected_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "tone_corrections_at").on("tone_corrections").column("corrected_at").run()
        try await sql.create(index: "tone_corrections_case").on("tone_corrections").column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tone_corrections").delete()
    }
}
