@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Escalation ceiling")
struct EscalationCeilingTests {
    @Test("a rule never escalates past the highest tier that has a group: the dry run and the timeline say so, and the case stays put",
          arguments: TestDatabase.all)
    func ceiling(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L1 desk", "tier": 1])
            _ = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L2 network", "tier": 2, "member_ids": [f.agentID]])
            let rule: [String: Any] = [
                "name": "Escalate VPN", "trigger": "case_updated",
                "conditions": [["field": "subject", "operator": "contains", "value": "vpn"]], "actions": [["type": "escalate"]],
            ]
            let created = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: rule)
            #expect(created.status == .created, "\(created.text)")
            let reference = try await f.openCase(app, subject: "VPN drops")
            var version = 1
            for _ in 0..<3 {
                let patched = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": version, "tags": ["vpn\(version)"]])
                #expect(patched.status == .ok, "\(patched.text)")
                version = patched.json["version"] as? Int ?? version + 1
            }
            let after = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(after["tier"] as? Int == 2, "tier 2 is the highest with a group")
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            let held = timeline.filter { $0["kind"] as? String == "escalation_held" }
            #expect(!held.isEmpty && (held.first?["new_value"] as? String ?? "").contains("the highest with a group"), "\(held)")
            #expect(timeline.filter { $0["kind"] as? String == "escalated" }.count == 1)
            let dry = try await app.call(.POST, "/api/v1/automations/\(created.json["id"] as? String ?? "")/dry-run", token: f.admin)
            let item = (dry.json["items"] as? [[String: Any]])?.first { $0["reference"] as? String == reference }
            #expect(item?["escalation_held"] as? String == "the case is at tier 2, the highest with a group", "\(dry.text)")
        }
    }
}
