@testable import CasebookServer
import Foundation
import SQLKit
import Testing

@Suite("SQLite statistics follow the tables as they grow")
struct StatisticsRefreshTests {
    private static func analyzedRows(_ table: String, _ store: Store) async throws -> Int? {
        // The first number of a table's sqlite_stat1 entry is its row count when it was analyzed.
        let stat = try await store.sql.raw("SELECT stat FROM sqlite_stat1 WHERE tbl = \(bind: table) ORDER BY idx IS NULL DESC LIMIT 1")
            .first()?.decode(column: "stat", as: String.self)
        return stat?.split(separator: " ").first.flatMap { Int($0) }
    }

    @Test("a refresh re-analyzes a table that grew tenfold, so the planner sees FTS5's data table at its real size")
    func grownTableIsAnalyzedAgain() async throws {
        // SQLite keeps what ANALYZE learned in memory across a rollback, so a rehearsed refresh would hide the real one.
        try await withCasebook(.sqlite, configure: { $0.rehearsesWrites = false }) { app in
            let store = app.casebook.store
            let index = try #require(store.search as? SQLiteSearchIndex)
            try await DatabaseSetup.refreshStatistics(store)
            let before = try #require(try await Self.analyzedRows("case_search_data", store), "the empty index was analyzed")
            try await store.write { db in
                for number in 1...3_000 {
                    try await index.add(caseID: UUID(), caseNumber: number, visibility: .public,
                                        text: (0..<8).map { "fault\(number)x\($0)" }.joined(separator: " "), on: store.sql(db))
                }
            }
            try await SearchIndexer.catchUp(store)
            try await DatabaseSetup.refreshStatistics(store)
            let after = try #require(try await Self.analyzedRows("case_search_data", store))
            #expect(after >= before * 10, "analyzed again at its new size (\(before) → \(after) rows)")
            // What the planner now believes is the table's real size (FTS5's deletes scanned it while it believed 2 rows).
            let rows = try await store.sql.raw("SELECT COUNT(*) AS n FROM case_search_data").first()?.decode(column: "n", as: Int.self) ?? 0
            #expect(after * 2 >= rows && rows * 2 >= after, "statistics \(after) rows, table \(rows) rows")
        }
    }

    @Test("a table due for analysis is analyzed an index at a time, a new index included")
    func analyzedAnIndexAtATime() async throws {
        try await withCasebook(.sqlite, configure: { $0.rehearsesWrites = false }) { app in
            let f = try await Fixture.make(app)
            for n in 1...3 { _ = try await f.openCase(app, subject: "Label printer \(n)") }
            let store = app.casebook.store
            try await SearchIndexer.catchUp(store)
            try await DatabaseSetup.refreshStatistics(store)
            // An index without statistics (as a migration leaves one) makes its table due: every index of it is named.
            try await store.write { db in try await store.sql(db).raw("CREATE INDEX cases_subject_probe ON cases (subject)").run() }
            let due = try await store.write { db in try await DatabaseSetup.statisticsDue(on: store.sql(db)) }
            #expect(due.contains("cases_subject_probe") && due.contains("cases_status_updated"), "\(due)")
            #expect(!due.contains("cases"), "a table with indexes is analyzed through them")
            try await DatabaseSetup.refreshStatistics(store)
            // Every index of cases now has statistics of its own, the new one included.
            let analyzed = Set(try await store.sql.raw("SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases'").all().map { try $0.decode(column: "idx", as: String.self) })
            let casesIndexes = Set(try await store.sql.raw("SELECT name FROM pragma_index_list('cases')").all().map { try $0.decode(column: "name", as: String.self) })
            #expect(casesIndexes.count > 10 && casesIndexes.isSubset(of: analyzed), "analyzed: \(analyzed)")
            let stat = try await store.sql.raw("SELECT stat FROM sqlite_stat1 WHERE idx = 'cases_subject_probe'").first()?.decode(column: "stat", as: String.self)
            #expect(stat?.hasPrefix("3 ") == true, "\(stat ?? "no statistics")")
        }
    }
}
