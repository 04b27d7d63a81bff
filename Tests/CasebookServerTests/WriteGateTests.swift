@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit

@Suite("Write gate: group commit on SQLite")
struct WriteGateTests {
    @Test("writes sharing a commit keep their own outcome: a failing one rolls back alone", arguments: TestDatabase.all)
    func failingWriteFailsAlone(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let store = app.casebook.store
            try await store.write { db in
                try await store.sql(db).raw("CREATE TABLE gate_probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").run()
            }
            // 60 writes at once: every fifth one writes a row and then fails.
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for n in 0..<60 {
                    group.addTask {
                        do {
                            try await store.write { db in
                                try await store.sql(db).raw("INSERT INTO gate_probe (id, label) VALUES (\(bind: n), \(bind: "write \(n)"))").run()
                                if n % 5 == 0 { throw Problem.conflict("write \(n) is refused") }
                            }
                            return (n, true)
                        } catch {
                            return (n, false)
                        }
                    }
                }
                var all: [Int: Bool] = [:]
                for await (n, ok) in group { all[n] = ok }
                return all
            }
            #expect(outcomes.count == 60)
            for (n, ok) in outcomes { #expect(ok == (n % 5 != 0), "write \(n)") }
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT id FROM gate_probe ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            #expect(stored == (0..<60).filter { $0 % 5 != 0 }, "exactly the writes that succeeded are kept")
        }
    }
}
