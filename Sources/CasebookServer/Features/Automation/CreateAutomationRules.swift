import Fluent
import SQLKit

/// Automation and escalation rules, and which time rules have already fired on which case.
struct CreateAutomationRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("automation_rules")
            .id()
            .field("name", .string, .required)
            .field("trigger", .string, .required)
            .field("conditions", .string, .required)
            .field("any_conditions", .string, .required)
            .field("actions", .string, .required)
            .field("position", .int, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("rule_firings")
            .field("rule_id", .uuid, .required, .references("automation_rules", "id"))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("fired_at", .datetime, .required)
            .unique(on: "rule_id", "case_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rule_firings").delete()
        try await database.schema("automation_rules").delete()
    }
}
