import Fluent
import SQLKit

/// Maintenance plans (per asset or per asset type), how far each asset's work orders are generated, and the work orders.
struct CreateMaintenance: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("maintenance_plans")
            .id()
            .field("name", .string, .required)
            .field("asset_id", .uuid, .references("assets", "id"))
            .field("asset_type", .string)
            .field("organisation_id", .uuid, .references(OrganisationModel.schema, "id"))
            .field("interval_count", .int)
            .field("interval_unit", .string)
            .field("starts_on", .string, .required)
            .field("lead_days", .int)
            .field("calendar_id", .uuid, .references("business_calendars", "id"))
            .field("checklist", .string, .required)
            .field("assignee_id", .uuid, .references(UserModel.schema, "id"))
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("maintenance_progress")
            .field("plan_id", .uuid, .required, .references("maintenance_plans", "id"))
            .field("asset_id", .uuid, .required, .references("assets", "id"))
            .field("generated_through", .string, .required)
            .unique(on: "plan_id", "asset_id")
            .create()
        try await database.schema("work_orders")
            .id()
            .field("plan_id", .uuid, .required, .references("maintenance_plans", "id"))
            .field("asset_id", .uuid, .required, .references("assets", "id"))
            .field("organisation_id", .uuid, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("assignee_id", .uuid)
            .field("checklist", .string, .required)
            .field("answers", .string)
            .field("result", .string)
            .field("completed_by", .uuid)
            .field("completed_at", .datetime)
            .field("signature", .string)
            .field("case_id", .uuid)
            .field("overdue_notified_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "plan_id", "asset_id", "due_on")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "work_orders_status_due").on("work_orders").column("status").column("due_on").run()
        try await sql.create(index: "work_orders_asset").on("work_orders").column("asset_id").column("completed_at").run()
        try await sql.create(index: "maintenance_plans_type").on("maintenance_plans").column("asset_type").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["work_orders", "maintenance_progress", "maintenance_plans"] { try await database.schema(table).delete() }
    }
}
