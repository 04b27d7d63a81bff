import Fluent
import SQLKit

/// The tone of each customer message and of each case (its latest customer message), for queues and escalation rules.
struct AddTone: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).field("tone", .string).update()
        try await database.schema(MessageModel.schema).field("tone", .string).update()
        try await database.schema(MessageModel.schema).field("tone_evidence", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_tone").on(CaseModel.schema).column("tone").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MessageModel.schema).deleteField("tone_evidence").update()
        try await database.schema(MessageModel.schema).deleteField("tone").update()
        try await database.schema(CaseModel.schema).deleteField("tone").update()
    }
}
