import Fluent
import SQLKit

/// Spare parts, stock per location, parts used, repair vendors and repairs out with them.
struct CreateParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("parts")
            .id()
            .field("sku", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "sku")
            .create()
        try await database.schema("part_stock")
            .field("part_id", .uuid, .required, .references("parts", "id"))
            .field("location", .string, .required)
            .field("quantity", .int, .required)
            .field("minimum", .int, .required)
            .field("low_since", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "part_id", "location")
            .create()
        try await database.schema("part_usage")
            .id()
            .field("part_id", .uuid, .required, .references("parts", "id"))
            .field("location", .string, .required)
            .field("quantity", .int, .required)
            .field("case_id", .uuid)
            .field("work_order_id", .uuid)
            .field("used_by", .uuid, .required)
            .field("used_at", .datetime, .required)
            .create()
        try await database.schema("repair_vendors")
            .id()
            .field("name", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("turnaround_days", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("repairs")
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("vendor_id", .uuid, .references("repair_vendors", "id"))
            .field("part_id", .uuid, .references("parts", "id"))
            .field("asset_id", .uuid)
            .field("description", .string, .required)
            .field("sent_on", .string, .required)
            .field("expected_on", .string, .required)
            .field("returned_on", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "part_usage_case").on("part_usage").column("case_id").run()
        try await sql.create(index: "repairs_case").on("repairs").column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["repairs", "repair_vendors", "part_usage", "part_stock", "parts"] { try await database.schema(table).delete() }
    }
}
