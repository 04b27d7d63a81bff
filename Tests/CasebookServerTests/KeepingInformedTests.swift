@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Keeping the customer informed")
struct KeepingInformedTests {
    static func outboxKinds(_ app: Application) async throws -> [(String, String)] {
        try await (app.db as! any SQLDatabase).select().columns("kind", "recipients").from("outbound_messages").orderBy("created_at").all()
            .map { (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "recipients", as: String.self)) }
    }

    @Test("a repeated public update is flagged with its similarity, not blocked; a draft can be checked first", arguments: TestDatabase.all)
    func repeatedUpdate(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let first = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                           json: ["text": "We are still waiting for the replacement part from the vendor. Next update tomorrow."])
            #expect(first.status == .created && first.json["warnings"] == nil)
            let again = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                           json: ["text": "We are still waiting for the replacement part from the vendor; next update tomorrow."])
            #expect(again.status == .created, "a warning never blocks")
            let warning = (again.json["warnings"] as? [[String: Any]])?.first
            #expect(warning?["kind"] as? String == "similar_update" && (warning?["similarity"] as? Double ?? 0) >= 0.8)
            #expect(warning?["previous_message_id"] as? String == first.json["id"] as? String)
            let draft = try await app.call(.POST, "/api/v1/cases/\(reference)/messages/similarity", token: f.agent,
                                           json: ["text": "The part arrived; the technician installs it at 14:00 today."])
            #expect(draft.status == .ok && (draft.json["similarity"] as? Double ?? 1) < 0.5)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages/similarity", token: f.customer,
                                       json: ["text": "x"]).status == .forbidden)
        }
    }

    @Test("the owner is reminded when a public update comes due; a rule can send a customer template", arguments: TestDatabase.all)
    func reminderAndTemplate(database: TestDatabase) async throws {
        let clock = TestClock(ServiceLevelAPITests.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await ServiceLevelAPITests.setUp(app, f)
            let created = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "Router reboots", "description": "Every hour", "priority": "high", "requester_id": f.customerID, "assignee_id": f.agentID,
            ])
            let reference = created.json["reference"] as! String
            clock.advance(10 * 60)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Looking at the logs now."])
            clock.advance(3 * 3600)  // 12:10: three of the four hours until the next update have gone
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            let outbox = try await Self.outboxKinds(app)
            #expect(outbox.filter { $0.0 == "notification" }.map(\.1) == ["agent@cb.example"], "\(outbox)")

            let badTemplate = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: [
                "name": "Nudge", "trigger": "case_updated", "actions": [["type": "send_template", "value": "no_such_template"]],
            ])
            #expect(badTemplate.status == .unprocessableEntity)
            _ = try await AutomationAPITests.rule(app, f.admin, [
                "name": "Ask for an answer", "trigger": "case_updated",
                "conditions": [["field": "status", "operator": "is", "value": "pending_customer"]],
                "actions": [["type": "send_template", "value": "awaiting_reply"]],
            ])
            let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as! Int
            #expect(try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                       json: ["status": "pending_customer", "version": version]).status == .ok)
            let after = try await Self.outboxKinds(app)
            #expect(after.contains { $0 == ("template", "carla@acme.example") })
        }
    }
}
