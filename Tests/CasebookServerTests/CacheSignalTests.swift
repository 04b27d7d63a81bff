@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Cached tables stay fresh across instances")
struct CacheSignalTests {
    /// Waits up to `seconds` for a condition, checking every 20 ms.
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test("a rule and an SLA policy changed through one instance are seen by another at once, not after its copy's ten seconds",
          arguments: TestDatabase.all.filter { $0 == .postgres })
    func acrossInstances(database: TestDatabase) async throws {
        try await withCasebook(database) { first in
            let f = try await Fixture.make(first)
            try await withSecondInstance(of: first) { second in
                #expect(try await Self.eventually(5) { second.casebook.cacheSignals.isListening }, "the second instance listens")
                let services = second.casebook
                #expect(try await services.automations.current(on: services.store.sql).isEmpty)
                let policies = try await services.serviceLevels.current(on: services.store.sql).policies.count

                let rule = try await first.call(.POST, "/api/v1/automations", token: f.admin, json: [
                    "name": "Outages are high", "trigger": "case_created", "position": 1,
                    "conditions": [["field": "subject", "operator": "contains", "value": "outage"]],
                    "actions": [["type": "set_priority", "value": "high"]]])
                #expect(rule.status == .created, "\(rule.text)")
                #expect(try await Self.eventually(2) { services.automations.lastLoaded == nil }, "the second instance dropped its copy")
                #expect(try await services.automations.current(on: services.store.sql).map(\.name) == ["Outages are high"])

                _ = try await ServiceLevelAPITests.setUp(first, f)
                #expect(try await Self.eventually(2) { services.serviceLevels.lastLoaded == nil })
                #expect(try await services.serviceLevels.current(on: services.store.sql).policies.count == policies + 1)
            }
        }
    }

    @Test("on SQLite nothing is announced: one process is the only writer")
    func sqliteKeepsToItself() async throws {
        try await withCasebook(.sqlite) { app in
            #expect(app.casebook.cacheSignals.channel == nil)
            #expect(CacheSignals.channel(schema: "t_1") == "casebook_caches_t_1" && CacheSignals.channel(schema: nil) == "casebook_caches")
        }
    }
}
