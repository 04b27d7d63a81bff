import Fluent
import SQLKit

/// Lets the acknowledgement limit count what went to one address lately from an index: without it every new case read
/// the whole outbox (3.6 ms of PostgreSQL's time a case at 10,000 cases, and growing with every mail sent).
struct AddAcknowledgementIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "outbound_messages_recipients").on("outbound_messages")
            .column("recipients").column("kind").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "outbound_messages_recipients").run()
    }
}
