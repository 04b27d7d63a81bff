@testable import CasebookServer
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@Suite("Log sync: SQLite commits made durable off the writer, before anyone is answered")
struct LogSyncTests {
    @Test("a write is answered only once its log is synced; the writer goes on meanwhile, and later commits share a sync")
    func answeredAfterSync() async throws {
        let valve = FlushValve()
        try await withCasebook(.sqlite, logFlush: valve.flush) { app in
            let store = app.casebook.store
            let logSync = try #require(store.gate.logSync)
            try await store.write { db in try await store.sql(db).raw("CREATE TABLE sync_probe (id INTEGER PRIMARY KEY)").run() }
            #expect(logSync.syncCount >= 1, "the table's commit was synced by Casebook, not in SQLite's COMMIT")
            let before = logSync.syncCount

            valve.hold()
            let answered = NIOLockedValueBox<Set<Int>>([])
            let first = Task {
                try await store.write { db in try await store.sql(db).raw("INSERT INTO sync_probe (id) VALUES (1)").run() }
                answered.withLockedValue { _ = $0.insert(1) }
            }
            try await eventually("the first commit reaches the sync") { valve.waiting }
            try await eventually("the first row is committed") { try await rows(app) == [1] }
            #expect(answered.withLockedValue { $0 }.isEmpty, "committed, but not answered before its log is on disk")

            // The writer is free while the disk works: three more writes commit (and wait for the next sync).
            let more = (2...4).map { n in
                Task {
                    try await store.write { db in try await store.sql(db).raw("INSERT INTO sync_probe (id) VALUES (\(bind: n))").run() }
                    answered.withLockedValue { _ = $0.insert(n) }
                }
            }
            try await eventually("the later writes commit while the first sync runs") { try await rows(app) == [1, 2, 3, 4] }
            #expect(answered.withLockedValue { $0 }.isEmpty, "none is answered before a sync covers it")

            valve.release()
            try await first.value
            for write in more { try await write.value }
            #expect(answered.withLockedValue { $0 } == [1, 2, 3, 4])
            #expect(logSync.syncCount - before < 4, "four commits, fewer syncs: those made during a sync share the next one")
            #expect(logSync.failure == nil)
        }
    }

    @Test("a failed sync fails the writes it covered, refuses every later one without running it, and fails /healthz")
    func failedSyncRefusesWrites() async throws {
        let valve = FlushValve()
        try await withCasebook(.sqlite, logFlush: valve.flush) { app in
            let store = app.casebook.store
            try await store.write { db in try await store.sql(db).raw("CREATE TABLE sync_probe (id INTEGER PRIMARY KEY)").run() }
            let healthy = try await app.call(.GET, "/healthz")
            #expect(healthy.status == .ok)

            valve.fail()
            await #expect(throws: LogSyncError.self, "the commit it covered is not acknowledged") {
                try await store.write { db in try await store.sql(db).raw("INSERT INTO sync_probe (id) VALUES (1)").run() }
            }
            let ran = NIOLockedValueBox(false)
            await #expect(throws: LogSyncError.self, "a later write is refused") {
                try await store.write { db in
                    ran.withLockedValue { $0 = true }
                    try await store.sql(db).raw("INSERT INTO sync_probe (id) VALUES (2)").run()
                }
            }
            #expect(!ran.withLockedValue { $0 }, "the refused write never ran")
            #expect(try await rows(app) == [1], "only the write committed before the failure is in the database")

            let health = try await app.call(.GET, "/healthz")
            #expect(health.status == .serviceUnavailable)
            #expect(health.json["database"] as? String == "log not durable")
        }
    }

    @Test("with synchronous = normal there is no log sync, and writes are answered at commit")
    func normalNeedsNoSync() async throws {
        try await withCasebook(.sqlite) { app in
            #expect(app.casebook.store.gate.logSync == nil)
            let store = app.casebook.store
            try await store.write { db in try await store.sql(db).raw("CREATE TABLE sync_probe (id INTEGER PRIMARY KEY)").run() }
            try await store.write { db in try await store.sql(db).raw("INSERT INTO sync_probe (id) VALUES (1)").run() }
            #expect(try await rows(app) == [1])
        }
    }

    @Test("cases created through the API by several clients at once are all answered, each after a sync")
    func concurrentCreations() async throws {
        let valve = FlushValve()
        try await withCasebook(.sqlite, logFlush: valve.flush) { app in
            let fixture = try await Fixture.make(app)
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<24 {
                    group.addTask {
                        let response = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                                          json: ["subject": "Printer \(n) jams", "description": "Jams on tray \(n)."])
                        return Int(response.status.code)
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(created == Array(repeating: 201, count: 24))
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM cases").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 24)
            let logSync = try #require(app.casebook.store.gate.logSync)
            #expect(logSync.syncCount >= 1 && logSync.syncCount <= valve.calls, "every sync went through the log's flush")
        }
    }
}

/// The ids in `sync_probe`, read on a reader's connection (which sees commits whether or not they are synced).
private func rows(_ app: Application) async throws -> [Int] {
    try await (app.db as! any SQLDatabase).raw("SELECT id FROM sync_probe ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
}

/// Waits (up to ten seconds) until `condition` holds.
private func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting: \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Stands in for `fdatasync`: passes calls through, or holds them until released, or fails them as a broken disk would.
private final class FlushValve: Sendable {
    private struct State {
        var holding = false
        var failing = false
        var waiting = false
        var calls = 0
    }

    private let state = NIOLockedValueBox(State())
    private let released = DispatchSemaphore(value: 0)

    func hold() { state.withLockedValue { $0.holding = true } }
    func fail() { state.withLockedValue { $0.failing = true } }

    /// Lets the held sync (and every later one) through.
    func release() {
        let held = state.withLockedValue { state -> Bool in
            defer { state.holding = false }
            return state.holding
        }
        if held { released.signal() }
    }

    /// True while a sync is being held.
    var waiting: Bool { state.withLockedValue { $0.waiting } }
    var calls: Int { state.withLockedValue { $0.calls } }

    var flush: @Sendable (Int32) -> Int32 {
        { descriptor in
            let (holding, failing) = self.state.withLockedValue { state in
                state.calls += 1
                state.waiting = state.holding
                return (state.holding, state.failing)
            }
            if holding {
                // Blocks the log sync's own thread, as a slow disk would; nothing else runs there.
                self.released.wait()
                self.state.withLockedValue { $0.waiting = false }
            }
            if failing {
                errno = EIO
                return -1
            }
            return fdatasync(descriptor)
        }
    }
}
