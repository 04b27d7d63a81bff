import Fluent
import SQLKit

struct CreateCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseModel.schema)
            .id()
            .field("number", .int, .required)
            .field("type", .string, .required)
            .field("subject", .string, .required)
            .field("status", .string, .required)
            .field("priority", .string, .required)
            .field("priority_rank", .int, .required)
            .field("requester_id", .uuid, .required, .references(UserModel.schema, "id"))
            .field("organisation_id", .uuid, .references(OrganisationModel.schema, "id"))
            .field("product_id", .uuid, .references(ProductModel.schema, "id"))
            .field("product_version_id", .uuid, .references(ProductVersionModel.schema, "id"))
            .field("category_id", .uuid, .references(CategoryModel.schema, "id"))
            .field("assignee_id", .uuid, .references(UserModel.schema, "id"))
            .field("group_id", .uuid, .references(GroupModel.schema, "id"))
            .field("tier", .int, .required)
            .field("tags", .string, .required)
            .field("custom_fields", .string, .required)
            .field("reopen_count", .int, .required)
            .field("channel", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("first_response_at", .datetime)
            .field("solved_at", .datetime)
            .field("closed_at", .datetime)
            .unique(on: "number")
            .create()
        try await database.schema(CaseTagModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("tag", .string, .required)
            .unique(on: "case_id", "tag")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (name, table, columns) in [
            // Sort indexes end with the number so keyset pages and search filters read them alone.
            ("cases_status_updated", "cases", ["status", "updated_at", "number"]),
            ("cases_created", "cases", ["created_at", "number"]),
            ("cases_updated", "cases", ["updated_at", "number"]),
            ("cases_priority", "cases", ["priority_rank", "number"]),
            ("cases_status_number", "cases", ["status", "number"]),
            ("cases_requester", "cases", ["requester_id"]),
            ("cases_organisation", "cases", ["organisation_id"]),
            ("cases_assignee", "cases", ["assignee_id"]),
            ("cases_group", "cases", ["group_id"]),
            ("cases_product_version", "cases", ["product_version_id"]),
            ("case_tags_tag", "case_tags", ["tag"]),
        ] {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseTagModel.schema).delete()
        try await database.schema(CaseModel.schema).delete()
    }
}
