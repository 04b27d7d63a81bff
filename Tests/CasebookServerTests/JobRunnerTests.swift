@testable import CasebookServer
import CasebookCore
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

/// Records how often each job ran, and fails on demand.
final class JobProbe: Sendable {
    private let runs = NIOLockedValueBox<[UUID: Int]>([:])
    private let failing = NIOLockedValueBox(true)

    func setFailing(_ value: Bool) { failing.withLockedValue { $0 = value } }
    func count(_ id: UUID) -> Int { runs.withLockedValue { $0[id] ?? 0 } }
    var total: Int { runs.withLockedValue { $0.values.reduce(0, +) } }

    var handler: JobRunner.Handler {
        { job, _ in
            self.runs.withLockedValue { $0[job.id, default: 0] += 1 }
            if self.failing.withLockedValue({ $0 }) { throw Problem.conflict("the test says no") }
        }
    }
}

@Suite("Durable jobs")
struct JobRunnerTests {
    static func runner(_ app: Application, clock: TestClock, probe: JobProbe, maxAttempts: Int = 3) -> JobRunner {
        var services = app.casebook
        services.clock = clock.function
        return JobRunner(services: services, handlers: [.processEmail: probe.handler],
                         schedule: RetrySchedule(firstDelay: 10, maximumDelay: 60, maxAttempts: maxAttempts))
    }

    static func enqueue(_ app: Application, at date: Date, key: String? = nil, maxAttempts: Int = 3) async throws -> UUID? {
        try await app.casebook.store.write { db in
            try await JobQueue.enqueue(.processEmail, InboundPayload(inboundID: UUID()), dedupeKey: key, runAt: date,
                                       maxAttempts: maxAttempts, on: db as! any SQLDatabase)
        }
    }

    @Test("a failing job is retried with backoff, then dead-lettered; an admin's retry runs it again", arguments: TestDatabase.all)
    func retriesAndDeadLetters(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let clock = TestClock()
            let probe = JobProbe()
            let runner = Self.runner(app, clock: clock, probe: probe)
            let id = try #require(try await Self.enqueue(app, at: clock.now))

            #expect(await runner.runDue() == 1)
            #expect(await runner.runDue() == 0, "not due again until the backoff has passed")
            clock.advance(9)
            #expect(await runner.runDue() == 0)
            clock.advance(1)
            #expect(await runner.runDue() == 1)
            clock.advance(20)
            #expect(await runner.runDue() == 1)
            #expect(probe.count(id) == 3)
            clock.advance(3600)
            #expect(await runner.runDue() == 0, "dead after its last attempt")

            let dead = try await app.call(.GET, "/api/v1/jobs?status=dead", token: f.admin)
            #expect(dead.status == .ok)
            #expect(dead.list.count == 1)
            #expect(dead.list.first?["last_error"] as? String == "the test says no")
            #expect(dead.list.first?["attempts"] as? Int == 3)
            #expect(try await app.call(.GET, "/api/v1/jobs", token: f.agent).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/jobs?status=sleeping", token: f.admin).isProblem)

            probe.setFailing(false)
            let sql = app.db as! any SQLDatabase
            try await sql.update("jobs").set("status", to: "queued").set("attempts", to: 0).set("run_at", to: clock.now)
                .where("id", .equal, id).run()
            #expect(await runner.runDue() == 1)
            let done = try await app.call(.GET, "/api/v1/jobs/\(id)", token: f.admin)
            #expect(done.json["status"] as? String == "done")
            #expect(done.json["last_error"] is NSNull || done.json["last_error"] == nil)
            #expect(try await app.call(.POST, "/api/v1/jobs/\(id)/retry", token: f.admin).status == .conflict)
        }
    }

    @Test("a job whose runner died is claimed again once its lease expires", arguments: TestDatabase.all)
    func expiredLease(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let clock = TestClock()
            let probe = JobProbe()
            probe.setFailing(false)
            let id = try #require(try await Self.enqueue(app, at: clock.now))
            let sql = app.db as! any SQLDatabase
            try await sql.update("jobs").set("status", to: "running").set("attempts", to: 1).set("locked_by", to: "a-runner-that-died")
                .set("locked_until", to: clock.now.addingTimeInterval(120)).where("id", .equal, id).run()
            let runner = Self.runner(app, clock: clock, probe: probe)
            #expect(await runner.runDue() == 0, "the lease still holds")
            clock.advance(121)
            #expect(await runner.runDue() == 1)
            #expect(probe.count(id) == 1)
        }
    }

    @Test("two runners sharing the queue run every job exactly once", arguments: TestDatabase.all)
    func sharedQueue(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let clock = TestClock()
            let probe = JobProbe()
            probe.setFailing(false)
            var ids: [UUID] = []
            for _ in 0..<60 { ids.append(try #require(try await Self.enqueue(app, at: clock.now))) }
            let first = Self.runner(app, clock: clock, probe: probe)
            let second = Self.runner(app, clock: clock, probe: probe)
            async let a = first.runDue()
            async let b = second.runDue()
            let ran = await a + b
            #expect(ran == 60)
            #expect(ids.allSatisfy { probe.count($0) == 1 })
            #expect(try await rowCount(app, "jobs") == 60)
        }
    }

    @Test("a dedupe key queues a piece of work once", arguments: TestDatabase.all)
    func dedupe(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let now = Date()
            let first = try await Self.enqueue(app, at: now, key: "once")
            let second = try await Self.enqueue(app, at: now, key: "once")
            #expect(first != nil && second == nil)
            #expect(try await rowCount(app, "jobs") == 1)
        }
    }

    @Test("queued jobs survive a restart of the app and run in the next process")
    func survivesRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = CasebookConfiguration()
        configuration.dataDirectory = directory
        configuration.database = .sqlite(path: directory + "/casebook.sqlite")
        configuration.runsJobs = false
        let clock = TestClock()
        let first = try await CasebookApp.make(configuration, environment: .testing)
        let id = try #require(try await Self.enqueue(first, at: clock.now))
        try await first.asyncShutdown()

        let second = try await CasebookApp.make(configuration, environment: .testing)
        let probe = JobProbe()
        probe.setFailing(false)
        let ran = await Self.runner(second, clock: clock, probe: probe).runDue()
        try await second.asyncShutdown()
        #expect(ran == 1 && probe.count(id) == 1)
    }
}
