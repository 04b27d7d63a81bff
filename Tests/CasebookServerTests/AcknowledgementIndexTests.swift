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
            #expect(plan.contains { $0.contains("SEARCH outbound_messages USING COVERING INDEX outbound_messages_recipients") }, "\(plan)")
            let sent = try await CaseMailRepository.acknowledgementsSent(to: "dana@acme.example", since: Date(timeIntervalSinceNow: -3_600), on: sql)
            #expect(sent == 0)
        }
    }

    @Test("PostgreSQL has the same index", arguments: TestDatabase.all.filter { $0 == .postgres })
    func postgresIndex(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let rows = try await app.casebook.store.sql.raw("""
                SELECT indexdef FROM pg_indexes WHERE indexname = 'outbound_messages_recipients' AND schemaname = current_schema()
                """).all().map { try $0.decode(column: "indexdef", as: String.self) }
            #expect(rows.count == 1 && rows[0].contains("(recipients, kind, created_at)"), "\(rows)")
        }
    }
}
