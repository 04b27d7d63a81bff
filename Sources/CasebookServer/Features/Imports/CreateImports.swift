import Fluent
import SQLKit

/// What came from another help desk (so nothing is imported twice) and each import's progress.
struct CreateImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("import_records")
            .field("source", .string, .required)
            // ticket, person
            .field("kind", .string, .required)
            .field("external_id", .string, .required)
            .field("casebook_id", .uuid, .required)
            .field("imported_at", .datetime, .required)
            .compositeIdentifier(over: "source", "kind", "external_id")
            .create()
        try await database.schema("import_runs")
            .id()
            .field("source", .string, .required)
            .field("base_url", .string, .required)
            // The other system's API token while the run needs it; cleared when it ends.
            .field("token", .string)
            // queued, running, done, failed
            .field("status", .string, .required)
            .field("total", .int, .required)
            .field("imported", .int, .required)
            .field("skipped", .int, .required)
            .field("failed", .int, .required)
            .field("entries", .int, .required)
            .field("attachments", .int, .required)
            // The last ticket written, so a stopped run carries on after it.
            .field("cursor", .string)
            // JSON list of what could not be mapped, and of tickets that failed.
            .field("notes", .string, .required)
            .field("last_error", .string)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_runs").delete()
        try await database.schema("import_records").delete()
    }
}
