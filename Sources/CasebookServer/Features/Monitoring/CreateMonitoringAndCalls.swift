import Fluent
import SQLKit

/// Monitoring alerts (one row per fingerprint, pointing at its open incident) and phone calls with recordings.
struct CreateMonitoringAndCalls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("monitoring_alerts")
            .field("fingerprint", .string, .identifier(auto: false))
            .field("case_id", .uuid)
            .field("asset_id", .uuid)
            .field("source", .string, .required)
            .field("name", .string, .required)
            .field("status", .string, .required)
            .field("labels", .string, .required)
            .field("first_seen_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("received", .int, .required)
            .field("incidents", .int, .required)
            .field("flap", .string, .required)
            .field("flapping", .bool, .required)
            .create()
        try await database.schema("calls")
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("direction", .string, .required)
            .field("number", .string, .required)
            .field("duration_seconds", .int, .required)
            .field("agent_id", .uuid, .required)
            .field("notes", .string)
            .field("started_at", .datetime, .required)
            .field("recording_sha256", .string)
            .field("recording_bytes", .int)
            .field("transcript_status", .string, .required)
            .field("transcript", .string)
            .field("transcript_error", .string)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "monitoring_alerts_case").on("monitoring_alerts").column("case_id").run()
        try await sql.create(index: "monitoring_alerts_flapping").on("monitoring_alerts").column("flapping").run()
        try await sql.create(index: "calls_case").on("calls").column("case_id").column("started_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["calls", "monitoring_alerts"] { try await database.schema(table).delete() }
    }
}
