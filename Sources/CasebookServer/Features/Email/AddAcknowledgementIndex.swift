import Fluent
import SQLKit

/// Lets the acknowledgement limit count what went to one address lately from an index: without it every new case read
/// the whole outbox (3.6 ms of PostgreSQL's time a case at 10,000 cases, and growing with every mail sent).
///
/// Only acknowledgements are indexed: each goes to one address, while other mail may list hundreds, longer than a
/// PostgreSQL index entry may be (about 2.7 kB), which would refuse the mail's row.
struct AddAcknowledgementIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let index = sql.create(index: "outbound_messages_acknowledged").on("outbound_messages").column("recipients").column("created_at")
        index.createIndex.predicate = SQLBinaryExpression(SQLColumn("kind"), .equal, SQLLiteral.string("acknowledgement"))
        try await index.run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "outbound_messages_acknowledged").run()
    }
}
