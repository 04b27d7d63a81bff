@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing

@Suite("SQLite search index: entries queued with their write, indexed in batches")
struct SQLiteSearchIndexTests {
    private static func rowids(_ store: Store) async throws -> [Int] {
        try await store.sql.raw("SELECT rowid AS id FROM case_search ORDER BY rowid").all().map { try $0.decode(column: "id", as: Int.self) }
    }

    private static func matches(_ word: String, _ store: Store) async throws -> [Int] {
        try await store.sql.raw("SELECT rowid >> 20 AS number FROM case_search WHERE case_search MATCH \(bind: word) ORDER BY rowid")
            .all().map { try $0.decode(column: "number", as: Int.self) }
    }

    @Test("queued entries are indexed numbered per case, kept apart by visibility, whatever order they were written in")
    func numberedPerCase() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            let internalBit = SQLiteSearchIndex.internalBit
            try await store.write { db in
                let sql = store.sql(db)
                try await index.add(caseID: UUID(), caseNumber: 12, visibility: .public, text: "gateway reboots nightly", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .public, text: "licence expired", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 12, visibility: .internal, text: "vendor ticket opened", on: sql)
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .public, text: "customer sent the licence file", on: sql)
            }
            #expect(try await SQLiteSearchIndex.hasPending(on: store.sql))
            try await SearchIndexer.catchUp(store)
            #expect(try await !SQLiteSearchIndex.hasPending(on: store.sql), "catching up empties the queue")
            #expect(try await Self.rowids(store) == [10 << 20, 10 << 20 | 1, 12 << 20, 12 << 20 | internalBit | 1])
            // A later entry continues its case's numbering after what is indexed.
            try await store.write { db in
                try await index.add(caseID: UUID(), caseNumber: 10, visibility: .internal, text: "escalated to engineering", on: store.sql(db))
            }
            try await SearchIndexer.catchUp(store)
            #expect(try await Self.rowids(store).contains(10 << 20 | internalBit | 2))
            #expect(try await Self.matches("licence", store) == [10, 10])
            #expect(try await Self.matches("vendor", store) == [12])
        }
    }

    @Test("more entries than one batch are all indexed by one catch-up")
    func severalBatches() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            let count = SearchIndexer.batchLimit + 150
            try await store.write { db in
                for number in 1...count {
                    try await index.add(caseID: UUID(), caseNumber: number, visibility: .public, text: "printer jam \(number)", on: store.sql(db))
                }
            }
            try await SearchIndexer.catchUp(store)
            #expect(try await Self.matches("printer", store).count == count)
            #expect(try await !SQLiteSearchIndex.hasPending(on: store.sql))
        }
    }

    @Test("segments are merged only by the background run, in short steps, and every entry is still found")
    func mergedInSteps() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            let setting = try await store.sql.raw("SELECT v FROM case_search_config WHERE k = 'automerge'").first()?.decode(column: "v", as: Int.self)
            #expect(setting == 0, "FTS5 does not merge inside other writes")
            func segments() async throws -> Int {
                try await store.sql.raw("SELECT COUNT(DISTINCT segid) AS n FROM case_search_idx").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            // Twelve catch-ups write twelve segments: below the fifteen at which FTS5 would merge a level by itself.
            for round in 0..<12 {
                try await store.write { db in
                    for n in 1...20 {
                        try await index.add(caseID: UUID(), caseNumber: round * 20 + n, visibility: .public, text: "router fault \(round) \(n)", on: store.sql(db))
                    }
                }
                try await SearchIndexer.catchUp(store)
            }
            let before = try await segments()
            #expect(before >= 12, "one segment a catch-up, none merged yet")
            try await SearchIndexer.merge(store)
            let after = try await segments()
            #expect(after < before / 4, "\(before) segments merged into \(after)")
            #expect(try await Self.matches("router", store).count == 240)
            #expect(try await Self.matches("fault", store).count == 240)
            let more = try await store.write { db in try await SQLiteSearchIndex.mergeStep(pages: SearchIndexer.mergePages, on: store.sql(db)) }
            #expect(!more, "nothing is left to merge, and a step says so")
        }
    }

    @Test("a write that fails queues nothing")
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
            #expect(try await !SQLiteSearchIndex.hasPending(on: store.sql))
            try await SearchIndexer.catchUp(store)
            #expect(try await Self.rowids(store).isEmpty)
        }
    }

    @Test("a case is found by a search made right after it was opened, before the background indexer has run")
    func searchFindsWhatWasJustWritten() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/cases", token: f.agent,
                                             json: ["subject": "Thermostat firmware hangs", "description": "It hangs after the update."])
            #expect(created.status == .created)
            let found = try await app.call(.GET, "/api/v1/cases?q=thermostat", token: f.agent)
            #expect((found.json["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a new case's terms for similar cases wait in the queue with its entry and are written when it is moved")
    func openingTermsMoveWithTheEntry() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let store = app.casebook.store
            let created = try await app.call(.POST, "/api/v1/cases", token: f.agent,
                                             json: ["subject": "Gateway reboots", "description": "The gateway reboots every night."])
            #expect(created.status == .created)
            let caseID = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            let terms = { () async throws -> [String] in
                try await store.sql.raw("SELECT term FROM case_terms WHERE case_id = \(bind: caseID) ORDER BY term").all()
                    .map { try $0.decode(column: "term", as: String.self) }
            }
            #expect(try await terms().isEmpty, "nothing is written to the term index inside the case's own transaction")
            let queued = try await store.sql.raw("SELECT case_id FROM case_search_pending").all().map { try $0.decode(column: "case_id", as: UUID?.self) }
            #expect(queued.filter { $0 == caseID }.count == 1, "one queued entry carries the case")
            try await SearchIndexer.catchUp(store)
            #expect(try await terms() == SimilarCases.terms(of: "Gateway reboots\nThe gateway reboots every night.").sorted())
            #expect(try await terms().contains("gateway"))
        }
    }

    @Test("a case with no usable terms, and one with the longest description allowed, both move through the queue")
    func openingTermsAtTheEdges() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let store = app.casebook.store
            let bare = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: ["subject": "??", "description": "!! ... ?"])
            #expect(bare.status == .created)
            let words = (0..<20_000).map { "w\($0)x" }.joined(separator: " ")
            let description = String(words.prefix(100_000))
            let long = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: ["subject": "Long log", "description": description])
            #expect(long.status == .created)
            try await SearchIndexer.catchUp(store)
            #expect(try await !SQLiteSearchIndex.hasPending(on: store.sql))
            func termCount(_ response: APIResponse) async throws -> Int {
                let id = try #require(UUID(uuidString: response.json["id"] as? String ?? ""))
                return try await store.sql.raw("SELECT COUNT(*) AS n FROM case_terms WHERE case_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await termCount(bare) == 0, "punctuation alone gives no terms, and the queue still moves")
            #expect(try await termCount(long) == 32, "a case keeps at most 32 terms however long its description")
            let found = try await app.call(.GET, "/api/v1/cases?q=w19x", token: f.agent)
            #expect((found.json["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("terms are the same whether subject and description are joined by a line break or a space")
    func termsIgnoreTheJoin() {
        #expect(SimilarCases.terms(of: "Printer jams\nPaper feed stops") == SimilarCases.terms(of: "Printer jams Paper feed stops"))
    }
}
