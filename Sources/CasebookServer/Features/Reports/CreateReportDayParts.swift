import Fluent
import SQLKit

/// Daily rollups in parts (a block of case numbers each), so a change redoes its part and not its whole day.
///
/// The watermark is cleared, so the first run after this builds every part from the cases themselves.
struct CreateReportDayParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_day_parts")
            .field("day", .string, .required)
            .field("part", .int, .required)
            .field("cases", .int, .required)
            .field("tally", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "day", "part")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for key in ["watermark", "deferred"] { try await ReportRecipientRepository.forgetState(key, on: sql) }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_day_parts").delete()
    }
}
