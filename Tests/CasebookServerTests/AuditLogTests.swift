@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Audit log")
struct AuditLogTests {
    @Test("what the log records, and secrets never reach it")
    func scope() throws {
        #expect(AuditScope.classify(method: "PATCH", segments: ["users", "u1"])?.recordPath == "/api/v1/users/u1")
        #expect(AuditScope.classify(method: "POST", segments: ["webhooks"])?.recordPath == nil)
        #expect(AuditScope.classify(method: "POST", segments: ["webhooks", "w1", "resume"])?.subjectID == "w1")
        #expect(AuditScope.classify(method: "POST", segments: ["cases"]) == nil, "case work is on the case's own record")
        #expect(AuditScope.classify(method: "GET", segments: ["users"]) == nil)
        #expect(AuditScope.classify(method: "GET", segments: ["contacts", "export"])?.category == .export)
        #expect(AuditScope.classify(method: "GET", segments: ["reports", "volume"], query: "format=csv")?.category == .export)
        #expect(AuditScope.classify(method: "POST", segments: ["contacts", "import"])?.subjectID == nil)
        #expect(AuditScope.classify(method: "PATCH", segments: ["mail-addresses", "a1"])?.recordPath == "/api/v1/mail-addresses/a1", "team addresses are configuration")
        #expect(AuditScope.classify(method: "PUT", segments: ["notifications", "preferences"]) == nil, "an agent's own preferences are not")
        let redacted = try #require(AuditRedaction.redact(Data(#"{"name":"n","secret":"whsec_x","details":{"token":"cb_x","hint":"cb_ab"},"password_hash":"$2b","qr_svg":"<svg>","recovery_codes_remaining":3}"#.utf8)))
        #expect(!redacted.contains("whsec_x") && !redacted.contains("cb_x") && !redacted.contains("$2b") && !redacted.contains("<svg>"))
        #expect(redacted.contains("\"hint\":\"cb_ab\"") && redacted.contains("\"recovery_codes_remaining\":3"))
        #expect(AuditRedaction.redact(Data("not json".utf8)) == nil)
        let big = try #require(AuditRedaction.redact(try JSONSerialization.data(withJSONObject: ["text": String(repeating: "a", count: 100_000)])))
        #expect(big.utf8.count < AuditRedaction.limit + 100 && big.hasSuffix("(cut at 64 KB)"))
        #expect(DeviceName.describe("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0") == "Edge on Windows")
        #expect(DeviceName.describe("curl/8.5.0") == "curl")
    }

    @Test("a change keeps who, from where, and the record before and after, secrets blanked; refusals and sign-ins are there too", arguments: TestDatabase.all)
    func changes(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let hook = try await app.call(.POST, "/api/v1/webhooks", token: f.admin,
                                          json: ["name": "Warehouse", "url": "https://hooks.example.com/x", "events": ["case.created"]])
            let hookID = try #require(hook.json["id"] as? String)
            let secret = try #require(hook.json["secret"] as? String)
            _ = try await app.call(.PATCH, "/api/v1/webhooks/\(hookID)", token: f.admin, json: ["name": "Warehouse two"])
            let promoted = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["role": "admin"])
            #expect(promoted.status == .ok)
            let refused = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.manager, json: ["role": "admin"])
            #expect(refused.status == .forbidden || refused.status == .notFound)
            _ = try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "wrong-password"])
            _ = try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "a-good-password"])
            let export = try await app.call(.GET, "/api/v1/contacts/export", token: f.admin)
            #expect(export.status == .ok)

            let log = try await app.call(.GET, "/api/v1/audit-events", token: f.admin)
            #expect(log.status == .ok)
            #expect(!log.text.contains(secret), "a webhook's secret never reaches the log")
            let actions = log.list.compactMap { $0["action"] as? String }
            #expect(actions.contains("POST /api/v1/webhooks") && actions.contains("PATCH /api/v1/webhooks/\(hookID)"))
            #expect(actions.contains("GET /api/v1/contacts/export"))
            #expect(actions.contains("sign-in refused: wrong password") && actions.contains("sign-in with password"))
            #expect(!actions.contains { $0.hasPrefix("POST /api/v1/cases") })
            let rename = try #require(log.list.first { $0["action"] as? String == "PATCH /api/v1/webhooks/\(hookID)" })
            #expect(rename["actor_email"] as? String == "admin@cb.example" && rename["subject_id"] as? String == hookID && rename["before"] == nil)
            let entry = try await app.call(.GET, "/api/v1/audit-events/\(rename["id"] as! String)", token: f.admin)
            let before = entry.json["before"] as? String ?? "", after = entry.json["after"] as? String ?? ""
            #expect(before.contains("\"name\":\"Warehouse\"") && after.contains("\"name\":\"Warehouse two\""))
            #expect(before.contains("[hidden]") || !before.contains("whsec_"))
            let role = try #require(log.list.first { $0["action"] as? String == "PATCH /api/v1/users/\(f.agentID)" })
            let roleEntry = try await app.call(.GET, "/api/v1/audit-events/\(role["id"] as! String)", token: f.admin)
            #expect((roleEntry.json["before"] as? String ?? "").contains("\"role\":\"agent\"") && (roleEntry.json["after"] as? String ?? "").contains("\"role\":\"admin\""))
            #expect(log.list.contains { $0["outcome"] as? Int == 403 || ($0["outcome"] as? Int == 404 && $0["actor_email"] as? String == "am@cb.example") }
                    || log.list.contains { $0["actor_email"] as? String == "am@cb.example" })

            // A collection with no page per record (groups) still keeps the record as it stood.
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Night shift"])
            let groupID = try #require(group.json["id"] as? String)
            _ = try await app.call(.PATCH, "/api/v1/groups/\(groupID)", token: f.admin, json: ["name": "Night shift (EU)"])
            let groupLog = try await app.call(.GET, "/api/v1/audit-events?subject_id=\(groupID)&category=change", token: f.admin)
            let renamed = try #require(groupLog.list.first { ($0["action"] as? String ?? "").hasPrefix("PATCH") })
            let renamedEntry = try await app.call(.GET, "/api/v1/audit-events/\(renamed["id"] as! String)", token: f.admin)
            #expect((renamedEntry.json["before"] as? String ?? "").contains("\"name\":\"Night shift\""))

            // Searching and filtering.
            let failures = try await app.call(.GET, "/api/v1/audit-events?category=sign_in_failed", token: f.admin)
            #expect(failures.list.count == 1 && failures.list.first?["actor_email"] as? String == "carla@acme.example")
            let words = try await app.call(.GET, "/api/v1/audit-events?q=warehouse%20two", token: f.admin)
            #expect(words.list.count == 1)
            let byWho = try await app.call(.GET, "/api/v1/audit-events?actor_id=\(f.agentID)&category=change", token: f.admin)
            #expect(byWho.list.isEmpty)
            let page1 = try await app.call(.GET, "/api/v1/audit-events?limit=2", token: f.admin)
            let page2 = try await app.call(.GET, "/api/v1/audit-events?limit=2&before=\(page1.list.last?["id"] as? String ?? "")", token: f.admin)
            #expect(page1.list.count == 2 && page2.list.count == 2 && Set(page1.list.compactMap { $0["id"] as? String }).isDisjoint(with: page2.list.compactMap { $0["id"] as? String }))
            for bad in ["category=nope", "actor_id=nope", "since=yesterday", "limit=0", "before=nope"] {
                let answer = try await app.call(.GET, "/api/v1/audit-events?\(bad)", token: f.admin)
                #expect(answer.status == .badRequest && answer.isProblem, "\(bad)")
            }
            #expect(try await app.call(.GET, "/api/v1/audit-events", token: f.colleague).status == .forbidden, "admins only")
            #expect(try await app.call(.GET, "/api/v1/audit-events/\(UUID())", token: f.admin).status == .notFound)

            let csv = try await app.call(.GET, "/api/v1/audit-events/export?format=csv", token: f.admin)
            #expect(csv.status == .ok && csv.text.hasPrefix("at,actor_email") && csv.text.contains("Warehouse two") && !csv.text.contains(secret))
            let lines = try await app.call(.GET, "/api/v1/audit-events/export?format=jsonl", token: f.admin)
            #expect(lines.text.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
            let exported = try await app.call(.GET, "/api/v1/audit-events?q=audit-events/export", token: f.admin)
            #expect(exported.list.count >= 2, "taking the log out is itself recorded")
        }
    }

    @Test("the database itself refuses to change or remove an entry", arguments: TestDatabase.all)
    func appendOnly(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Tier 2"])
            let sql = app.db as! any SQLDatabase
            let before = try await rowCount(app, "audit_events")
            #expect(before > 0)
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_events SET actor_email = 'someone-else@cb.example'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_events").run() }
            #expect(try await rowCount(app, "audit_events") == before)
            let emails = try await sql.raw("SELECT actor_email FROM audit_events").all().map { try $0.decode(column: "actor_email", as: String?.self) }
            #expect(!emails.contains("someone-else@cb.example"))
        }
    }
}
