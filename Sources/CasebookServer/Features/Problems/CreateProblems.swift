import Fluent
import SQLKit

/// Problem records linking many incidents, and each case's terms for finding similar cases.
struct CreateProblems: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("problems")
            .id()
            .field("title", .string, .required)
            .field("status", .string, .required)
            .field("root_cause", .string)
            .field("workaround", .string)
            .field("product_id", .uuid)
            .field("fix_version_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("fix_released_at", .datetime)
            .create()
        try await database.schema("problem_cases")
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("choice", .string)
            .field("choice_at", .datetime)
            .field("fix_notified_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "case_id")
            .create()
        try await database.schema("case_terms")
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("term", .string, .required)
            .unique(on: "case_id", "term")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "case_terms_term").on("case_terms").column("term").run()
        try await sql.create(index: "problem_cases_problem").on("problem_cases").column("problem_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["case_terms", "problem_cases", "problems"] { try await database.schema(table).delete() }
    }
}
