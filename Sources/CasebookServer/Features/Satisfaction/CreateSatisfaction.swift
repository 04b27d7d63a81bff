import Fluent
import SQLKit

/// Satisfaction surveys: one per solved case, answered once through its token.
struct CreateSatisfaction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("satisfaction_surveys")
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("token", .string, .required)
            .field("requester_id", .uuid, .required)
            .field("agent_id", .uuid)
            .field("group_id", .uuid)
            .field("organisation_id", .uuid)
            .field("sent_at", .datetime, .required)
            .field("score", .int)
            .field("comment", .string)
            .field("answered_at", .datetime)
            .field("answered_via", .string)
            .unique(on: "case_id")
            .unique(on: "token")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "satisfaction_answered").on("satisfaction_surveys").column("answered_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("satisfaction_surveys").delete()
    }
}
