import Fluent
import SQLKit

/// Privacy requests and retention: the rules for how long solved cases are kept, the legal holds that stop them,
/// and which cases have had their personal data taken out.
struct CreatePrivacyRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("retention_rules")
            .id()
            .field("name", .string, .required)
            .field("months", .int, .required)
            .field("action", .string, .required)
            // Only this organisation's cases; nil: every case.
            .field("organisation_id", .uuid)
            .field("active", .bool, .required)
            .field("last_run_at", .datetime)
            .field("last_run_result", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("legal_holds")
            .id()
            // One of the two: every case of an organisation, or one case.
            .field("organisation_id", .uuid)
            .field("case_id", .uuid)
            .field("reason", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("privacy_redactions")
            .field("case_id", .uuid, .identifier(auto: false))
            .field("at", .datetime, .required)
            // "retention: <rule>" or "person <id> anonymised".
            .field("reason", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Retention looks for old solved cases; without this it reads every case.
        try await sql.create(index: "cases_status_solved").on("cases").column("status").column("solved_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("privacy_redactions").delete()
        try await database.schema("legal_holds").delete()
        try await database.schema("retention_rules").delete()
    }
}
