import Fluent

/// Who receives the weekly report by mail.
struct CreateReportRecipients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_recipients")
            .id()
            .field("email", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_recipients").delete()
    }
}
