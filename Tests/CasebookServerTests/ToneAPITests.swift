@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Customer tone on cases")
struct ToneAPITests {
    @Test("customer messages are classified with their evidence; flagged cases filter in queues and drive rules; customers never see it", arguments: TestDatabase.all)
    func tone(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let rule = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: [
                "name": "Angry customers go to a senior", "trigger": "customer_replied",
                "conditions": [["field": "tone", "operator": "is", "value": "angry"]],
                "actions": [["type": "set_priority", "value": "urgent"], ["type": "add_tag", "value": "angry-customer"]],
            ])
            #expect(rule.status == .created, "\(rule.text)")
            let calm = try await f.openCase(app, subject: "Toner", description: "Please send a new toner cartridge for the second floor.")
            let upset = try await f.openCase(app, subject: "VPN", description: "The VPN is still not working after your fix. Still waiting.")
            #expect(try await app.call(.GET, "/api/v1/cases/\(calm)", token: f.agent).json["tone"] as? String == "neutral")
            #expect(try await app.call(.GET, "/api/v1/cases/\(upset)", token: f.agent).json["tone"] as? String == "frustrated")
            #expect(try await app.call(.GET, "/api/v1/cases/\(upset)", token: f.customer).json["tone"] == nil, "tone is internal")

            let reply = try await app.call(.POST, "/api/v1/cases/\(upset)/messages", token: f.customer,
                                           json: ["text": "This is UNACCEPTABLE. Third week without VPN and nobody calls back!!"])
            #expect(reply.status == .created)
            let after = try await app.call(.GET, "/api/v1/cases/\(upset)", token: f.agent)
            #expect(after.json["tone"] as? String == "angry")
            #expect(after.json["priority"] as? String == "urgent" && (after.json["tags"] as? [String])?.contains("angry-customer") == true,
                    "the escalation rule fired on tone")
            let messages = try await app.call(.GET, "/api/v1/cases/\(upset)/messages", token: f.agent).list
            let last = try #require(messages.last)
            #expect(last["tone"] as? String == "angry")
            let evidence = (last["tone_evidence"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(evidence.contains { $0.lowercased() == "unacceptable" || $0.contains("UNACCEPTABLE") }, "\(evidence)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(upset)/messages", token: f.customer).list.allSatisfy { $0["tone"] == nil })

            let flagged = try await app.call(.GET, "/api/v1/cases?tone=angry,frustrated", token: f.agent)
            #expect((flagged.json["items"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [upset])
            #expect(try await app.call(.GET, "/api/v1/cases?tone=livid", token: f.agent).status == .badRequest)
            // Staff replies do not change the customer's tone.
            _ = try await app.call(.POST, "/api/v1/cases/\(upset)/messages", token: f.agent, json: ["text": "Thanks for your patience, great news soon!"])
            #expect(try await app.call(.GET, "/api/v1/cases/\(upset)", token: f.agent).json["tone"] as? String == "angry")
        }
    }
}
