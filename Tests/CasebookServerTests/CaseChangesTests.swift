@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Case pages are told of changes as they happen")
struct CaseChangesTests {
    static func caseID(_ app: Application, _ reference: String, _ f: Fixture) async throws -> UUID {
        let id = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["id"] as? String
        return try #require(id.flatMap(UUID.init(uuidString:)))
    }

    /// Waits on a ticket and says how long it took.
    static func timedWait(_ changes: CaseChanges, _ ticket: CaseChanges.Ticket, upTo timeout: Duration) async -> Duration {
        let began = ContinuousClock.now
        await changes.wait(ticket, upTo: timeout)
        return ContinuousClock.now - began
    }

    @Test("a change heard between listening and waiting makes the wait return at once; a quiet case waits out its time")
    func ticketsMissNothing() async {
        let changes = CaseChanges()
        let (one, other) = (UUID(), UUID())
        let early = changes.listen(to: one)
        changes.heard(one)
        #expect(await Self.timedWait(changes, early, upTo: .seconds(30)) < .seconds(5))
        let quiet = changes.listen(to: one)
        changes.heard(other)
        #expect(await Self.timedWait(changes, quiet, upTo: .milliseconds(150)) >= .milliseconds(150))
        #expect(changes.listening == 0, "every ticket is used up")

        let waiting = changes.listen(to: one)
        async let waited = Self.timedWait(changes, waiting, upTo: .seconds(30))
        try? await Task.sleep(for: .milliseconds(50)) // most likely waiting by now; heard before the wait would do as well
        changes.heard(one)
        #expect(await waited < .seconds(5))
        let forgotten = changes.listen(to: one)
        changes.forget(forgotten)
        #expect(changes.listening == 0)
    }

    @Test("a reply, a field change and an agent arriving wake the case's watchers after their commit; a new case wakes nobody",
          arguments: TestDatabase.all)
    func writesWakeWatchers(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let id = try await Self.caseID(app, reference, f)
            let changes = app.casebook.store.caseChanges

            for change in ["reply", "priority", "presence"] {
                let ticket = changes.listen(to: id)
                switch change {
                case "reply":
                    #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "On it."]).status == .created)
                case "priority":
                    let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as? Int ?? 0
                    #expect(try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["priority": "high", "version": version]).status == .ok)
                default:
                    var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
                    _ = try await agent.get(app, "/desk/cases/\(reference)")
                    #expect(try await app.call(.POST, "/desk/cases/\(reference)/presence", json: [:],
                                                headers: [("Cookie", agent.cookie), ("X-CSRF-Token", agent.csrf)]).status == .ok)
                }
                #expect(await Self.timedWait(changes, ticket, upTo: .seconds(30)) < .seconds(5), "\(change) woke the watcher")
            }

            let untouched = changes.listen(to: id)
            _ = try await f.openCase(app, subject: "Another printer")
            #expect(await Self.timedWait(changes, untouched, upTo: .milliseconds(200)) >= .milliseconds(200), "another case's creation is not this case's change")
        }
    }

    @Test("a reply through one instance wakes the case's page on another at once", arguments: TestDatabase.all.filter { $0 == .postgres })
    func acrossInstances(database: TestDatabase) async throws {
        try await withCasebook(database) { first in
            let f = try await Fixture.make(first)
            let reference = try await f.openCase(first)
            let id = try await Self.caseID(first, reference, f)
            try await withSecondInstance(of: first) { (second: Application) async throws in
                #expect(try await CacheSignalTests.eventually(5) { second.casebook.cacheSignals.isListening })
                let changes = second.casebook.store.caseChanges
                let ticket = changes.listen(to: id)
                #expect(try await first.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "On it."]).status == .created)
                #expect(await Self.timedWait(changes, ticket, upTo: .seconds(30)) < .seconds(5), "woken by the other instance's write")
            }
        }
    }

    @Test("an announcement of changed cases wakes each named case; ids that do not read are skipped, the rest still wake")
    func malformedAnnouncement() async {
        let signals = CacheSignals(channel: "casebook_caches_test")
        let changes = CaseChanges()
        signals.onCases { changes.heard($0) }
        let named = UUID()
        let ticket = changes.listen(to: named)
        let other = changes.listen(to: UUID())
        signals.heard(CacheSignals.casePrefix + "not-a-uuid,,\u{0}," + named.uuidString + "," + String(repeating: "f", count: 5_000))
        signals.heard(CacheSignals.casePrefix)
        #expect(await Self.timedWait(changes, ticket, upTo: .seconds(30)) < .seconds(5))
        #expect(await Self.timedWait(changes, other, upTo: .milliseconds(150)) >= .milliseconds(150), "a case not named stays asleep")
    }

    @Test("a stopping instance wakes every watcher, so its case pages' streams end and reconnect elsewhere")
    func stoppingWakesAll() async {
        let changes = CaseChanges()
        let tickets = (0..<3).map { _ in changes.listen(to: UUID()) }
        changes.wakeAll()
        for ticket in tickets { #expect(await Self.timedWait(changes, ticket, upTo: .seconds(30)) < .seconds(5)) }
    }
}
