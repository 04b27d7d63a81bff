@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Cases over the API")
struct CaseAPITests {
    @Test("an agent opens a case and gets a reference anyone can quote", arguments: TestDatabase.all)
    func create(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let response = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "VPN drops", "description": "Tunnel drops above 400 Mbit/s", "priority": "high", "requester_id": f.customerID,
                "tags": ["VPN", "network"],
            ])
            #expect(response.status == .created)
            #expect(response.json["reference"] as? String == "CB-10000")
            #expect(response.json["status"] as? String == "new")
            #expect(response.json["organisation_id"] as? String == f.organisationID, "the requester's organisation is filled in")
            #expect(response.json["tags"] as? [String] == ["network", "vpn"])
            let second = try await f.openCase(app)
            #expect(second == "CB-10001")
            let fetched = try await app.call(.GET, "/api/v1/cases/cb-10000", token: f.agent)
            #expect(fetched.status == .ok)
            #expect(fetched.json["subject"] as? String == "VPN drops")
        }
    }

    @Test("a retried create with the same Idempotency-Key makes one case", arguments: TestDatabase.all)
    func idempotency(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let body: [String: Any] = ["subject": "Once", "description": "only once please"]
            let first = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: body, headers: [("Idempotency-Key", "abc-1")])
            let again = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: body, headers: [("Idempotency-Key", "abc-1")])
            #expect(first.status == .created && again.status == .created)
            #expect(first.json["id"] as? String == again.json["id"] as? String)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await rowCount(app, "cases") == 1)
            let reused = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: ["subject": "Other", "description": "x"],
                                            headers: [("Idempotency-Key", "abc-1")])
            #expect(reused.status == .unprocessableEntity && reused.isProblem)
            #expect(try await rowCount(app, "cases") == 1)
        }
    }

    @Test("concurrent creates get distinct, consecutive reference numbers", arguments: TestDatabase.all)
    func concurrentNumbers(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let references = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask { try await f.openCase(app, subject: "Parallel \(index)") }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(references).count == 20)
            #expect(Set(references) == Set((10000..<10020).map { "CB-\($0)" }))
        }
    }

    @Test("on PostgreSQL a create's write holds no lock on the case counter: another create finishes while it is still open",
          arguments: TestDatabase.all.filter { $0 == .postgres })
    func numberTakenAhead(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let services = app.casebook
            let opening = OpenCase(services: services)
            let agent = try #require(try await ActorRepository.activePerson(UUID(uuidString: f.agentID)!, on: services.store.sql)?.actor)
            let input = CaseCreateRequest(subject: "Held open", description: "Its write waits for another create.")
            let plan = try await opening.readied(try await services.store.reading { db in try await opening.prepare(input, by: agent, on: db) })
            let other = try await services.store.write { db -> String in
                _ = try await opening.commit(plan, on: db)
                // Still inside this create's transaction: a second create through the API must not wait for it.
                return try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask { try await f.openCase(app, subject: "Meanwhile") }
                    group.addTask { try await Task.sleep(for: .seconds(20)); return nil }
                    let first = try await group.next() ?? nil
                    group.cancelAll()
                    return first ?? "waited"
                }
            }
            #expect(other == "CB-10001", "the second create finished while the first was open")
            #expect(try await rowCount(app, "cases") == 2)
        }
    }

    @Test("a change based on the current version is applied and recorded on the timeline", arguments: TestDatabase.all)
    func update(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let changed = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: [
                "version": 1, "status": "open", "priority": "urgent", "assignee_id": f.agentID,
            ])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.json["version"] as? Int == 2)
            #expect(changed.json["assignee_id"] as? String == f.agentID)
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            let fields = timeline.compactMap { $0["field"] as? String }
            #expect(fields == ["status", "priority", "assignee"])
            #expect(timeline.map { $0["position"] as? Int } == Array(1...5).map { Optional($0) })
            let status = timeline.first { $0["field"] as? String == "status" }
            #expect(status?["old_value"] as? String == "new" && status?["new_value"] as? String == "open")
        }
    }

    @Test("a stale version gets 409 with the current case, and nothing is overwritten", arguments: TestDatabase.all)
    func staleVersion(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "priority": "high"])
            let stale = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.admin, json: ["version": 1, "priority": "low"])
            #expect(stale.status == .conflict && stale.isProblem)
            let current = stale.json["current"] as? [String: Any]
            #expect(current?["priority"] as? String == "high")
            #expect(current?["version"] as? Int == 2)
            let now = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent)
            #expect(now.json["priority"] as? String == "high")
            let viaHeader = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["priority": "low"],
                                               headers: [("If-Match", "\"2\"")])
            #expect(viaHeader.status == .ok && viaHeader.json["version"] as? Int == 3)
            let missing = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["priority": "normal"])
            #expect(missing.status == .preconditionRequired && missing.isProblem)
        }
    }

    @Test("custom fields are validated on write", arguments: TestDatabase.all)
    func customFields(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let defined = try await app.call(.POST, "/api/v1/custom-fields", token: f.admin, json: [
                "key": "region", "label": "Region", "kind": "choice", "choices": ["emea", "apac"],
            ])
            #expect(defined.status == .created)
            let bad = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "x", "description": "y", "custom_fields": ["region": "mars"],
            ])
            #expect(bad.status == .unprocessableEntity && bad.isProblem)
            #expect((bad.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "custom_fields.region")
            let good = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "x", "description": "y", "custom_fields": ["region": "emea"],
            ])
            #expect((good.json["custom_fields"] as? [String: Any])?["region"] as? String == "emea")
            #expect(try await rowCount(app, "cases") == 1)
        }
    }
}

@Suite("Writes committed together")
struct GroupCommitTests {
    @Test("a failing write in a shared commit rolls back alone", arguments: TestDatabase.all)
    func failingWriteRollsBackAlone(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let casesBefore = try await rowCount(app, "cases")
            let statuses = try await withThrowingTaskGroup(of: (Bool, UInt).self) { group in
                for index in 0..<30 {
                    let good = index % 2 == 0
                    group.addTask {
                        let body: [String: Any] = good
                            ? ["subject": "Good \(index)", "description": "fine"]
                            : ["subject": "Bad \(index)", "description": "unknown product", "product_id": UUID().uuidString]
                        let response = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: body)
                        return (good, response.status.code)
                    }
                }
                return try await group.reduce(into: [(Bool, UInt)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 }.allSatisfy { $0.1 == 201 })
            #expect(statuses.filter { !$0.0 }.allSatisfy { $0.1 == 422 })
            #expect(try await rowCount(app, "cases") == casesBefore + 15)
            #expect(try await rowCount(app, "messages") == casesBefore + 15)
            #expect(try await rowCount(app, "timeline_entries") == 2 * (casesBefore + 15))
        }
    }
}
