import Fluent
import SQLKit

/// Time staff spent on cases: with a reply or note, or on its own (a call, a visit).
struct CreateTimeEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("time_entries")
            .id()
            .field("case_id", .uuid, .required)
            .field("message_id", .uuid)
            .field("user_id", .uuid, .required)
            .field("minutes", .int, .required)
            .field("note", .string)
            .field("at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "time_entries_case").on("time_entries").column("case_id").run()
        try await sql.create(index: "time_entries_at").on("time_entries").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("time_entries").delete()
    }
}
