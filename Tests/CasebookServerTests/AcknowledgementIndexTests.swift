@testable import CasebookServer
import Foundation
import SQLKit
import Testing

@Suite("The acknowledgement limit reads an index, not the whole outbox")
struct AcknowledgementIndexTests {
    @Test("counting what went to one address lately searches the recipients index (it scanned every mail sent before)")
    func recipientsIndex() async throws {
        try await withCasebook(.sqlite) { app in
            let sql = app.casebook.store.sql
            let plan = try await sql.raw("""
                EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM outbound_messages WHERE kind = 'acknowledgement'
                AND recipients = \(bind: "dana@acme.example") AND created_at >= \(bind: Date())
                """).all().map { try $0.decode(column: "detail", as: String.self) }
            #expect(plan.contains { $0.contains("SEARCH outbound_messages USING COVERING INDEX outbound_messages_acknowledged") }, "\(plan)")
            let sent = try await CaseMailRepository.acknowledgementsSent(to: "dana@acme.example", since: Date(timeIntervalSinceNow: -3_600), on: sql)
            #expect(sent == 0)
        }
    }

    @Test("PostgreSQL has the same index", arguments: TestDatabase.all.filter { $0 == .postgres })
    func postgresIndex(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let rows = try await app.casebook.store.sql.raw("""
                SELECT indexdef FROM pg_indexes WHERE indexname = 'outbound_messages_acknowledged' AND schemaname = current_schema()
                """).all().map { try $0.decode(column: "indexdef", as: String.self) }
            #expect(rows.count == 1 && rows[0].contains("(recipients, created_at) WHERE"), "\(rows)")
        }
    }

    @Test("a mail to hundreds of addresses is still stored: only acknowledgements (one address each) are indexed", arguments: TestDatabase.all)
    func longRecipientList(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let sql = app.casebook.store.sql
            // Random names, so the list does not compress below PostgreSQL's limit for an index entry.
            let recipients = (1...300).map { _ in "\(UUID().uuidString.lowercased())@customer.example" }.joined(separator: ", ")
            #expect(recipients.utf8.count > 10_000)
            try await sql.raw("""
                INSERT INTO outbound_messages (id, kind, sender, recipients, subject, message_id, raw, status, attempts, created_at)
                VALUES (\(bind: UUID()), 'notice', 'support@cb.example', \(bind: recipients), 'Fix released', \(bind: "<\(UUID())@cb.example>"),
                        'raw', 'queued', 0, \(bind: Date()))
                """).run()
            let stored = try await sql.raw("SELECT recipients FROM outbound_messages WHERE kind = 'notice'").first()?.decode(column: "recipients", as: String.self)
            #expect(stored == recipients)
        }
    }
}
