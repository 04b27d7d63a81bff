import Fluent
import SQLKit

/// Early warnings about product versions, proactive notices to the customers running them, and each organisation's timeline.
struct CreateEarlyWarnings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("early_warnings")
            .id()
            .field("product_version_id", .uuid, .required)
            .field("organisations", .int, .required)
            .field("cases", .string, .required)
            .field("detected_at", .datetime, .required)
            .field("acknowledged_at", .datetime)
            .create()
        try await database.schema("proactive_notices")
            .id()
            .field("product_version_id", .uuid, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("recipients", .string, .required)
            .field("organisations", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        try await database.schema("organisation_events")
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id"))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("actor_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "early_warnings_version").on("early_warnings").column("product_version_id").column("detected_at").run()
        try await sql.create(index: "organisation_events_org").on("organisation_events").column("organisation_id").column("created_at").run()
        try await sql.create(index: "cases_version_created").on(CaseModel.schema).column("product_version_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["organisation_events", "proactive_notices", "early_warnings"] { try await database.schema(table).delete() }
    }
}
