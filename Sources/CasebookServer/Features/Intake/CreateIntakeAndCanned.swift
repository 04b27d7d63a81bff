import Fluent
import SQLKit

/// Intake flows (every published version kept), each case's answers, canned responses, admins' wording of the customer mail templates, agents' saved queue filters, who is on which case now, and failed sign-ins.
struct CreateIntakeAndCanned: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("intake_flows")
            .id()
            .field("category_id", .uuid, .required, .references(CategoryModel.schema, "id"))
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "category_id", "version")
            .create()
        try await database.schema("case_intake")
            .field("case_id", .uuid, .identifier(auto: false), .references(CaseModel.schema, "id"))
            .field("flow_id", .uuid, .required, .references("intake_flows", "id"))
            .field("answers", .string, .required)
            .field("prefilled", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("canned_responses")
            .id()
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("language", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "title", "language")
            .create()
        try await database.schema("mail_template_texts")
            .field("name", .string, .required)
            .field("language", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("updated_by", .uuid, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name", "language")
            .create()
        try await database.schema("saved_filters")
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id"))
            .field("name", .string, .required)
            .field("query", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "name")
            .create()
        try await database.schema("case_presence")
            .field("case_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("name", .string, .required)
            .field("replying", .bool, .required)
            .field("seen_at", .datetime, .required)
            .unique(on: "case_id", "user_id")
            .create()
        try await database.schema("login_failures")
            .field("key", .string, .required)
            .field("at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "login_failures_key_at").on("login_failures").column("key").column("at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["login_failures", "case_presence", "saved_filters", "mail_template_texts", "canned_responses", "case_intake", "intake_flows"] { try await database.schema(table).delete() }
    }
}
