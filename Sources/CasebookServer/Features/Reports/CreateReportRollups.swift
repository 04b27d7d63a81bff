import Fluent
import SQLKit

/// Per-day rollups of cases (by the day they were opened), so reports over a million cases read a few hundred rows.
struct CreateReportRollups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_days")
            .field("day", .string, .identifier(auto: false))
            .field("created", .int, .required)
            .field("solved", .int, .required)
            .field("first_response", .string, .required)
            .field("resolution", .string, .required)
            .field("sla_cases", .int, .required)
            .field("sla_breached", .int, .required)
            .field("categories", .string, .required)
            .field("products", .string, .required)
            .field("versions", .string, .required)
            .field("satisfaction_sum", .int, .required)
            .field("satisfaction_count", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("report_state")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_status_created").on(CaseModel.schema).column("status").column("created_at").run()
        try await sql.create(index: "case_sla_updated").on("case_sla").column("updated_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["report_state", "report_days"] { try await database.schema(table).delete() }
    }
}
