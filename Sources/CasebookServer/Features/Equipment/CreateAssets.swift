import Fluent
import SQLKit

/// Customers' equipment, the cases about each piece, and incidents raised before any customer noticed.
struct CreateAssets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assets")
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id"))
            .field("name", .string, .required)
            .field("asset_type", .string, .required)
            .field("model", .string)
            .field("serial", .string)
            .field("host", .string)
            .field("location", .string)
            .field("criticality", .string, .required)
            .field("product_id", .uuid, .references(ProductModel.schema, "id"))
            .field("product_version_id", .uuid, .references(ProductVersionModel.schema, "id"))
            .field("vendor", .string)
            .field("warranty_ends_on", .string)
            .field("monitored", .bool, .required)
            .field("tag_token", .string, .required)
            .field("retired", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "tag_token")
            .unique(on: "organisation_id", "serial")
            .create()
        try await database.schema("asset_cases")
            .field("asset_id", .uuid, .required, .references("assets", "id"))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "asset_id", "case_id")
            .create()
        // A case monitoring or maintenance opened itself: counted as an avoided outage unless a customer reported it too.
        try await database.schema("proactive_incidents")
            .field("case_id", .uuid, .identifier(auto: false), .references(CaseModel.schema, "id"))
            .field("source", .string, .required)
            .field("organisation_id", .uuid)
            .field("asset_id", .uuid)
            .field("raised_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "assets_organisation").on("assets").column("organisation_id").column("name").run()
        try await sql.create(index: "assets_serial").on("assets").column("serial").run()
        try await sql.create(index: "assets_host").on("assets").column("host").run()
        try await sql.create(index: "asset_cases_case").on("asset_cases").column("case_id").run()
        try await sql.create(index: "proactive_incidents_organisation").on("proactive_incidents").column("organisation_id").column("raised_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["proactive_incidents", "asset_cases", "assets"] { try await database.schema(table).delete() }
    }
}
