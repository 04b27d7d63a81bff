import Fluent
import SQLKit

/// The people copied (CC) on a case's public replies.
struct CreateCaseCopies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_copies")
            .id()
            .field("case_id", .uuid, .required)
            // Lower-case, as mail is matched; the person's name when they are a contact, else what the agent typed.
            .field("address", .string, .required)
            .field("name", .string)
            .field("added_by", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id", "address")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Erasing a person finds their copies by address.
        try await sql.create(index: "case_copies_address").on("case_copies").column("address").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_copies").delete()
    }
}
