import Foundation
import SQLKit

/// The map from other help desks' ids to Casebook's.
enum ImportRecordRepository {
    static func caseID(source: String, externalID: String, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("casebook_id").from("import_records").where("source", .equal, source).where("kind", .equal, "ticket")
            .where("external_id", .equal, externalID).first()?.decode(column: "casebook_id", as: UUID.self)
    }

    static func remember(source: String, externalID: String, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "import_records").columns("source", "kind", "external_id", "casebook_id", "imported_at")
            .values(SQLBind(source), SQLBind("ticket"), SQLBind(externalID), SQLBind(caseID), SQLBind(now)).run()
    }
}
