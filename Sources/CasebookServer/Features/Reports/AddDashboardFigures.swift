import Fluent
import SQLKit

/// What the dashboard needs: the time between a case's customer-visible updates in the daily rollups (every day is
/// summarised again so the figure exists for the past too), and an index to count recent cases by tone.
struct AddDashboardFigures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_days").field("update_gaps", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await ReportRecipientRepository.forgetState("watermark", on: sql)
        try await sql.create(index: "cases_tone_created").on("cases").column("tone").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "cases_tone_created").run() }
        try await database.schema("report_days").deleteField("update_gaps").update()
    }
}
