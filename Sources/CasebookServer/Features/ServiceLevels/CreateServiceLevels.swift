import Fluent
import SQLKit

/// Business calendars, SLA policies, contracts, and each case's current service-level standing.
struct CreateServiceLevels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("business_calendars")
            .id()
            .field("name", .string, .required)
            .field("time_zone", .string, .required)
            .field("periods", .string, .required)
            .field("holidays", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("sla_policies")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("conditions", .string, .required)
            .field("targets", .string, .required)
            .field("calendar_id", .uuid, .required, .references("business_calendars", "id"))
            .field("warn_at_percent", .int, .required)
            .field("rank", .int, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("contracts")
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id"))
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("sla_policy_id", .uuid, .references("sla_policies", "id"))
            .field("created_at", .datetime, .required)
            .create()
        // One row per case with a policy: what the queues sort and filter on, and when to look again.
        try await database.schema("case_sla")
            .field("case_id", .uuid, .identifier(auto: false), .references(CaseModel.schema, "id"))
            .field("policy_id", .uuid, .required)
            .field("state", .string, .required)
            .field("earliest_due_at", .datetime)
            .field("next_check_at", .datetime)
            .field("warned", .string, .required)
            .field("breached", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "contracts_organisation").on("contracts").column("organisation_id").run()
        try await sql.create(index: "case_sla_next_check").on("case_sla").column("next_check_at").run()
        try await sql.create(index: "case_sla_state_due").on("case_sla").column("state").column("earliest_due_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["case_sla", "contracts", "sla_policies", "business_calendars"] {
            try await database.schema(table).delete()
        }
    }
}
