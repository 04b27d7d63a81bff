@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing

@Suite("SQLite search index: entries written at the end of their write transaction")
struct SQLiteSearchIndexTests {
    private static func rowids(_ store: Store) async throws -> [Int] {
        try await store.sql.raw("SELECT rowid AS id FROM case_search ORDER BY rowid").all().map { try $0.decode(column: "id", as: Int.self) }
    }

    private static func matches(_ word: String, _ store: Store) async throws -> [Int] {
        try await store.sql.raw("SELECT rowid >> 20 AS number FROM case_search WHERE case_search MATCH \(bind: word) ORDER BY rowid")
            .all().map { try $0.decode(column: "number", as: Int.self) }
    }

    @Test("entries added out of order in one write are numbered per case, kept apart by visibility, and found after the commit")
    func numberedPerCase() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            let internalBit = SQLiteSearchIndex.internalBit
            let seenInside = try await store.write { db -> Int in
                let sql = store.sql(db)
                try await index.add(caseID: UUID(), caseNumber: 12, visibility: .public, text: "gateway reboots nightly", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .public, text: "licence expired", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 12, visibility: .internal, text: "vendor ticket opened", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .public, text: "customer sent the licence file", on: sql)
                return try await sql.raw("SELECT COUNT(*) AS n FROM case_search WHERE case_search MATCH 'licence'").first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(seenInside == 0, "inside the write the entries are still waiting for the commit")
            #expect(try await Self.rowids(store) == [10 << 20, 10 << 20 | 1, 12 << 20, 12 << 20 | internalBit | 1])
            // A later write continues each case's numbering after what is stored.
            try await store.write { db in
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .internal, text: "escalated to engineering", on: store.sql(db))
            }
            #expect(try await Self.rowids(store).contains(10 << 20 | internalBit | 2))
            #expect(try await Self.matches("licence", store) == [10, 10])
            #expect(try await Self.matches("vendor", store) == [12])
        }
    }

    @Test("a write that fails leaves no search entry behind")
    func failedWriteAddsNothing() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            await #expect(throws: (any Error).self) {
                try await store.write { db in
                    try await index.add(caseID: UUID(), caseNumber: 21, visibility: .public, text: "never stored", on: store.sql(db))
                    throw Problem.conflict("refused after the entry was added")
                }
            }
            try await store.write { db in
                try await index.add(caseID: UUID(), caseNumber: 22, visibility: .public, text: "stored", on: store.sql(db))
            }
            #expect(try await Self.rowids(store) == [22 << 20])
        }
    }
}
