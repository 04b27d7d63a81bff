import Fluent
import SQLKit

/// Links between cases: related, parent and child, duplicate.
struct CreateCaseLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_links")
            .id()
            .field("case_id", .uuid, .required)
            .field("other_case_id", .uuid, .required)
            // How `case_id` stands to `other_case_id`: related, child_of or duplicate_of.
            .field("kind", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id", "other_case_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "case_links_other").on("case_links").column("other_case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_links").delete()
    }
}
