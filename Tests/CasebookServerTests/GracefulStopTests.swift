@testable import CasebookServer
import CasebookCore
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

/// A job handler that waits for as long as the test says, noting when it starts and whether it was cut.
final class SlowJob: Sendable {
    private let started = NIOLockedValueBox(0)
    private let finished = NIOLockedValueBox(0)
    let takes: Duration

    init(takes: Duration) { self.takes = takes }

    var starts: Int { started.withLockedValue { $0 } }
    var finishes: Int { finished.withLockedValue { $0 } }

    var handler: JobRunner.Handler {
        { _, _ in
            self.started.withLockedValue { $0 += 1 }
            try await Task.sleep(for: self.takes)
            self.finished.withLockedValue { $0 += 1 }
        }
    }
}

@Suite("Graceful stop")
struct GracefulStopTests {
    static func runner(_ app: Application, job: SlowJob) -> JobRunner {
        JobRunner(services: app.casebook, handlers: [.processEmail: job.handler], pollInterval: .milliseconds(20))
    }

    static func job(_ app: Application, _ id: UUID) async throws -> (status: String, attempts: Int, lockedBy: String?) {
        let sql = app.db as! any SQLDatabase
        let row = try #require(try await sql.select().column("status").column("attempts").column("locked_by").from("jobs")
            .where("id", .equal, id).first())
        return (try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
                try row.decode(column: "locked_by", as: String?.self))
    }

    @Test("a job that finishes within the grace is done; the runner claims nothing after the stop begins", arguments: TestDatabase.all)
    func jobFinishesWithinGrace(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let slow = SlowJob(takes: .seconds(2))
            let id = try #require(try await JobRunnerTests.enqueue(app, at: app.casebook.clock()))
            let runner = Self.runner(app, job: slow)
            runner.start()
            #expect(try await CacheSignalTests.eventually(20) { slow.starts == 1 }, "the job started")
            let later = try #require(try await JobRunnerTests.enqueue(app, at: app.casebook.clock()))
            await runner.stop(grace: .seconds(10))
            #expect(slow.finishes == 1)
            #expect(try await Self.job(app, id).status == "done")
            let untouched = try await Self.job(app, later)
            #expect(untouched.status == "queued" && untouched.attempts == 0, "queued while the first ran, and never claimed once the stop began")
        }
    }

    @Test("a job still running when the grace ends is cut and queued again at once, its attempt given back", arguments: TestDatabase.all)
    func jobCutAfterGrace(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let slow = SlowJob(takes: .seconds(60))
            let id = try #require(try await JobRunnerTests.enqueue(app, at: app.casebook.clock()))
            let runner = Self.runner(app, job: slow)
            runner.start()
            #expect(try await CacheSignalTests.eventually(20) { slow.starts == 1 }, "the job started")
            #expect(try await Self.job(app, id).status == "running")
            let began = ContinuousClock.now
            await runner.stop(grace: .milliseconds(200))
            #expect(ContinuousClock.now - began < .seconds(10), "the stop does not wait out a job's minute")
            #expect(slow.finishes == 0)
            let released = try await Self.job(app, id)
            #expect(released.status == "queued" && released.attempts == 0, "no attempt spent on a cut")
            #expect(try await (app.db as! any SQLDatabase).select().column("last_error").from("jobs").where("id", .equal, id).first()?
                .decode(column: "last_error", as: String?.self) == nil, "a cut is not recorded as a failure")

            // Another runner (another instance) takes it straight away, without waiting for a lease to expire.
            let next = SlowJob(takes: .zero)
            #expect(await Self.runner(app, job: next).runDue() == 1)
            #expect(next.finishes == 1)
            #expect(try await Self.job(app, id).status == "done")
        }
    }

    @Test("a stopping instance's health check answers 503 while every other request is still served", arguments: TestDatabase.all)
    func healthSaysStopping(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.GET, "/healthz").status == .ok)
            app.readiness.beginStopping()
            let health = try await app.call(.GET, "/healthz")
            #expect(health.status == .serviceUnavailable)
            #expect(health.json["status"] as? String == "stopping")
            #expect(try await app.call(.GET, "/api/v1/me", token: f.agent).status == .ok)
        }
    }

    @Test("the drain defaults to 2 s on PostgreSQL and none on SQLite; both times are read from the environment and checked")
    func stopSettings() throws {
        var configuration = CasebookConfiguration()
        configuration.database = .sqlite(path: "/tmp/x.sqlite")
        #expect(configuration.stopDrain == .zero)
        configuration.database = .postgres(url: "postgres://db/casebook")
        #expect(configuration.stopDrain == .seconds(2))
        let read = try CasebookConfiguration.fromEnvironment(["CASEBOOK_STOP_DRAIN_SECONDS": "5", "CASEBOOK_STOP_GRACE_SECONDS": "30"])
        #expect(read.stopDrain == .seconds(5) && read.stopGraceSeconds == 30)
        #expect(throws: ConfigurationError.self) { try CasebookConfiguration.fromEnvironment(["CASEBOOK_STOP_GRACE_SECONDS": "0"]) }
        #expect(throws: ConfigurationError.self) { try CasebookConfiguration.fromEnvironment(["CASEBOOK_STOP_DRAIN_SECONDS": "soon"]) }
    }
}
