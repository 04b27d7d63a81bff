@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import SQLiteKit

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

    @Test("a mark taken while another write is open, or followed by another write, says what was read may have changed")
    func marksSeeOtherWrites() async throws {
        // The gate's own accounting is under test: a rehearsal would add a transaction the test does not expect.
        try await withCasebook(.sqlite, configure: { $0.rehearsesWrites = false }) { app in
            let store = app.casebook.store
            let gate = store.gate
            let quiet = gate.mark
            #expect(quiet.settled)
            #expect(gate.onlyOwnWrites(since: quiet, own: 0))
            // A write that has begun and not committed: a read now could miss what it is about to commit.
            let (entered, inside) = AsyncStream<Void>.makeStream()
            let (waiting, release) = AsyncStream<Void>.makeStream()
            let open = Task {
                try await store.write { _ in
                    inside.yield()
                    for await _ in waiting { break }
                }
            }
            for await _ in entered { break }
            let during = gate.mark
            #expect(!during.settled)
            #expect(!gate.onlyOwnWrites(since: during, own: 0), "a write open at the mark may commit after the read")
            release.yield()
            try await open.value
            #expect(!gate.onlyOwnWrites(since: quiet, own: 0), "a write began after the quiet mark")
            #expect(gate.onlyOwnWrites(since: quiet, own: 1), "unless it was the caller's own")
            #expect(gate.mark.settled)
        }
    }

    @Test("values read and bound inline are exactly those SQLiteKit reads and binds")
    func inlineMatchesSQLiteKit() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            let id = UUID(), when = Date(timeIntervalSince1970: 1_795_000_123.456789)
            let values: [any Encodable & Sendable] = ["text", String?.none, String?.some("maybe"), id, UUID?.none, when, Date?.none,
                                                     42, Int?.none, true, false, 2.5]
            let encoder = SQLiteDataEncoder()
            for value in values {
                #expect(InlineSQLite.fastValue(value) == (try encoder.encode(value)), "\(value)")
            }
            try await store.write { db in
                try await store.sql(db).raw("""
                    CREATE TABLE inline_probe (t TEXT, n TEXT, u TEXT, d REAL, i INTEGER, b INTEGER, f REAL)
                    """).run()
                try await store.sql(db).raw("""
                    INSERT INTO inline_probe VALUES (\(bind: "tëxt"), NULL, \(bind: id), \(bind: when), \(bind: 7), \(bind: true), \(bind: 0.1))
                    """).run()
            }
            struct Probe: Equatable {
                var t: String, n: String?, u: UUID, uo: UUID?, d: Date, dn: Date?, i: Int, io: Int?, b: Bool, f: Double
                init(_ row: any SQLRow) throws {
                    t = try row.decode(column: "t", as: String.self); n = try row.decode(column: "n", as: String?.self)
                    u = try row.decode(column: "u", as: UUID.self); uo = try row.decode(column: "u", as: UUID?.self)
                    d = try row.decode(column: "d", as: Date.self); dn = try row.decode(column: "n", as: Date?.self)
                    i = try row.decode(column: "i", as: Int.self); io = try row.decode(column: "n", as: Int?.self)
                    b = try row.decode(column: "b", as: Bool.self); f = try row.decode(column: "f", as: Double.self)
                }
            }
            let usual = try Probe(try await (app.db as! any SQLDatabase).raw("SELECT * FROM inline_probe").first()!)
            let inline = try await store.write { db in
                #expect(store.sql(db) is InlineSQLite, "writes run inline on SQLite")
                return try Probe(try await store.sql(db).raw("SELECT * FROM inline_probe").first()!)
            }
            #expect(inline == usual)
            #expect(inline.u == id && inline.t == "tëxt")
        }
    }
    @Test("statements kept prepared are reused, counted, and finalized at shutdown; writes still work after")
    func statementCache() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            try await store.write { db in try await store.sql(db).raw("CREATE TABLE cache_probe (id INTEGER PRIMARY KEY)").run() }
            for n in 0..<20 {
                try await store.write { db in try await store.sql(db).raw("INSERT INTO cache_probe (id) VALUES (\(bind: n))").run() }
            }
            let kept = store.gate.statements.count
            #expect(kept >= 1, "the insert is kept")
            try await store.write { db in try await store.sql(db).raw("INSERT INTO cache_probe (id) VALUES (\(bind: 99))").run() }
            #expect(store.gate.statements.count == kept, "the same text reuses its statement")
            store.gate.statements.close()
            #expect(store.gate.statements.count == 0)
            try await store.write { db in try await store.sql(db).raw("INSERT INTO cache_probe (id) VALUES (\(bind: 100))").run() }
            #expect(store.gate.statements.count == 0, "once closed, nothing more is kept")
            let rows = try await store.reading { db in try await store.sql(db).raw("SELECT COUNT(*) AS n FROM cache_probe").first() }
            #expect(try rows?.decode(column: "n", as: Int.self) == 22)
        }
    }

    @Test("a kept statement with a join is not compiled again when it runs with new values")
    func joinsKeepTheirPlan() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            try await store.write { db in
                try await store.sql(db).raw("CREATE TABLE plan_owner (id INTEGER PRIMARY KEY, active INTEGER)").run()
                try await store.sql(db).raw("CREATE TABLE plan_key (hash TEXT PRIMARY KEY, owner_id INTEGER)").run()
                for n in 0..<5 {
                    try await store.sql(db).raw("INSERT INTO plan_owner VALUES (\(bind: n), 1)").run()
                    try await store.sql(db).raw("INSERT INTO plan_key VALUES (\(bind: "h\(n)"), \(bind: n))").run()
                }
            }
            // The shape of the sign-in lookup every API request makes: a join with bound values.
            var found: [Int] = []
            for n in 0..<5 {
                let (stable, owner) = try await store.reading { db in
                    let sql = store.sql(db)
                    let row = try await sql.raw("""
                        SELECT plan_owner.id AS id FROM plan_owner JOIN plan_key ON plan_key.owner_id = plan_owner.id
                        WHERE plan_key.hash = \(bind: "h\(n)") AND plan_owner.active = \(bind: true)
                        """).first()
                    return ((sql as? InlineSQLite)?.plansAreStable ?? false, try row?.decode(column: "id", as: Int.self))
                }
                #expect(stable, "reads run inline with the planner stability guarantee")
                found += owner.map { [$0] } ?? []
            }
            #expect(found == [0, 1, 2, 3, 4], "each run finds its own row")
            #expect(store.gate.statements.recompilations(matching: "JOIN plan_key") == 0, "the join is kept, and its plan reused rather than compiled again for each value")
        }
    }

    @Test("a passive checkpoint copies SQLite's log back into the database file")
    func checkpoint() async throws {
        try await withCasebook(.sqlite) { app in
            let store = app.casebook.store
            try await store.write { db in try await store.sql(db).raw("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)").run() }
            for n in 0..<50 {
                try await store.write { db in
                    try await store.sql(db).raw("INSERT INTO wal_probe (id, body) VALUES (\(bind: n), \(bind: String(repeating: "x", count: 2_000)))").run()
                }
            }
            let result = try #require(try await WALCheckpointer.checkpoint(store))
            #expect(result.logFrames > 0, "the writes went to the log")
            #expect(result.checkpointed == result.logFrames, "with no reader in the way, all of it is copied back")
        }
    }
}
