import Fluent
import SQLKit

/// Root-cause-analysis reports: an internal version and a customer version, the latter reviewed before it is sent.
struct CreateRCAReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rca_reports")
            .id()
            .field("case_id", .uuid)
            .field("problem_id", .uuid)
            .field("title", .string, .required)
            .field("internal", .string, .required)
            .field("customer", .string, .required)
            .field("customer_status", .string, .required)
            .field("customer_edited_by", .uuid)
            .field("reviewed_by", .uuid)
            .field("reviewed_at", .datetime)
            .field("sent_at", .datetime)
            .field("sent_to", .string)
            .field("sent_text", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "rca_reports_case").on("rca_reports").column("case_id").run()
        try await sql.create(index: "rca_reports_problem").on("rca_reports").column("problem_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rca_reports").delete()
    }
}
