@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Macros: a canned response that also changes the case")
struct MacroTests {
    @Test("a macro previews its reply and changes, then sends the reply and sets status, priority, assignee, group and tags in one step; a stale version changes nothing; bad actions are refused by field",
          arguments: TestDatabase.all)
    func macros(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let group = try #require(try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Hardware", "tier": 2]).json["id"] as? String)
            for (actions, field) in [(["status": "sleeping"] as [String: Any], "status"), (["assignee_id": f.customerID], "assignee_id"),
                                     (["group_id": UUID().uuidString], "group_id"), (["tags": [String(repeating: "t", count: 51)]], "tags")] {
                let refused = try await app.call(.POST, "/api/v1/canned-responses", token: f.admin,
                                                 json: ["title": "x \(field)", "body": "Hi", "actions": actions])
                #expect((400..<500).contains(Int(refused.status.code)) && refused.text.contains(field), "\(field): \(refused.text)")
            }
            let created = try await app.call(.POST, "/api/v1/canned-responses", token: f.admin, json: [
                "title": "Send for repair", "body": "Hello {{customer.first_name}}, we are sending your unit for repair.",
                "actions": ["status": "pending_vendor", "priority": "high", "assignee_id": f.agentID, "group_id": group, "tags": ["RMA"]]])
            #expect(created.status == .created && (created.json["actions"] as? [String: Any])?["status"] as? String == "pending_vendor", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let reference = try await f.openCase(app)
            let path = "/api/v1/cases/\(reference)/canned-responses/\(id)/apply"

            let preview = try await app.call(.POST, path, token: f.agent)
            #expect(preview.json["applied"] as? Bool == false && preview.json["text"] as? String == "Hello carla, we are sending your unit for repair.")
            let fields = (preview.json["changes"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["status", "priority", "assignee", "group", "tags"], "\(preview.text)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["status"] as? String == "new", "a preview changes nothing")

            let stale = try await app.call(.POST, path, token: f.agent, json: ["version": 0, "dry_run": false])
            #expect(stale.status == .conflict, "\(stale.text)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.count == 1, "nothing was sent")
            #expect(try await app.call(.POST, path, token: f.customer, json: ["dry_run": false]).status == .forbidden)

            let applied = try await app.call(.POST, path, token: f.agent, json: ["version": 1, "dry_run": false])
            #expect(applied.status == .ok && applied.json["applied"] as? Bool == true, "\(applied.text)")
            let after = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(after["status"] as? String == "pending_vendor" && after["priority"] as? String == "high")
            #expect(after["assignee_id"] as? String == f.agentID && after["group_id"] as? String == group && after["tags"] as? [String] == ["rma"], "\(after)")
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(messages.last?["text"] as? String == "Hello carla, we are sending your unit for repair." && messages.last?["visibility"] as? String == "public")
        }
    }
}
