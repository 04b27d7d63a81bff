@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

/// Bad values for the inputs the jobs, outbox, service-level and automation endpoints accept:
/// each gets a problem body and changes nothing.
@Suite("Bad input to jobs, mail, service levels and automations")
struct ServiceInputBadValueTests {
    static func expectProblem(_ response: APIResponse, _ codes: [UInt], _ label: String) {
        #expect(response.isProblem && codes.contains(response.status.code), "\(label): \(response.status.code) \(response.text)")
    }

    @Test("jobs, the outbox and held mail: unknown ids, malformed ids, unknown filters", arguments: TestDatabase.all)
    func queues(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let stranger = UUID().uuidString
            Self.expectProblem(try await app.call(.GET, "/api/v1/jobs/not-a-uuid", token: f.admin), [404], "job id")
            Self.expectProblem(try await app.call(.POST, "/api/v1/jobs/\(stranger)/retry", token: f.admin), [404], "retry unknown job")
            Self.expectProblem(try await app.call(.GET, "/api/v1/jobs?kind=teleport", token: f.admin), [400], "job kind")
            Self.expectProblem(try await app.call(.GET, "/api/v1/outbound/email?status=lost", token: f.admin), [400], "outbox status")
            Self.expectProblem(try await app.call(.POST, "/api/v1/outbound/email/\(stranger)/retry", token: f.admin), [404], "retry unknown mail")
            _ = try await f.openCase(app)
            let queued = try await OutboundEmailTests.outbox(app)
            #expect(queued.count == 1)
            let id = try await (app.db as! any SQLDatabase).select().column("id").from("outbound_messages").first()!.decode(column: "id", as: UUID.self)
            Self.expectProblem(try await app.call(.POST, "/api/v1/outbound/email/\(id)/retry", token: f.admin), [409], "retry queued mail")
            Self.expectProblem(try await app.call(.GET, "/api/v1/outbound/email", token: f.agent), [403], "outbox for agents")
            Self.expectProblem(try await app.call(.POST, "/api/v1/inbound/email/\(stranger)/release", token: f.admin), [404], "release unknown")
            Self.expectProblem(try await app.call(.POST, "/api/v1/inbound/email/x/release", token: f.admin), [404], "release bad id")
            Self.expectProblem(try await app.call(.POST, "/api/v1/inbound/email/\(stranger)/reprocess", token: f.admin), [404], "reprocess unknown")
            #expect(try await rowCount(app, "jobs") == 1, "only the acknowledgement's job")
        }
    }

    @Test("service-level queue, clocks and draft comparisons: bad filters, unknown cases, empty or huge text", arguments: TestDatabase.all)
    func clocksAndDrafts(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            for query in ["state=late", "limit=0", "limit=501", "limit=many"] {
                Self.expectProblem(try await app.call(.GET, "/api/v1/sla/cases?\(query)", token: f.agent), [400], query)
            }
            Self.expectProblem(try await app.call(.GET, "/api/v1/cases/CB-99999/sla", token: f.agent), [404], "unknown case")
            Self.expectProblem(try await app.call(.POST, "/api/v1/sla/recompute", token: f.agent), [403], "recompute by an agent")
            let path = "/api/v1/cases/\(reference)/messages/similarity"
            Self.expectProblem(try await app.call(.POST, path, token: f.agent, json: ["text": ""]), [422], "empty draft")
            Self.expectProblem(try await app.call(.POST, path, token: f.agent, json: ["words": "x"]), [400, 422], "missing text")
            Self.expectProblem(try await app.call(.POST, path, token: f.agent, json: ["text": String(repeating: "a", count: 100_001)]), [413, 422], "huge draft")
            Self.expectProblem(try await app.call(.POST, path, token: f.agent, json: ["text": "Any news?"]), [404], "no earlier update yet")
        }
    }

    @Test("calendars, policies and contracts: bad changes leave the stored values alone", arguments: TestDatabase.all)
    func definitions(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (calendar, policy) = try await ServiceLevelAPITests.setUp(app, f)
            let other = try await app.call(.POST, "/api/v1/calendars", token: f.admin,
                                           json: ["name": "Always", "time_zone": "UTC", "periods": ServiceLevelAPITests.officeHours])
            #expect(other.status == .created)
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/calendars/\(calendar)", token: f.admin, json: ["time_zone": "Nowhere/Else"]), [422], "zone")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/calendars/\(calendar)", token: f.admin, json: ["name": "Always"]), [409], "name taken")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/calendars/\(UUID())", token: f.admin, json: ["name": "X"]), [404], "unknown calendar")
            Self.expectProblem(try await app.call(.POST, "/api/v1/calendars/\(calendar)/holidays/import", token: f.admin, raw: "",
                                                  headers: [("Content-Type", "text/calendar")]), [422], "empty .ics")
            let huge = "BEGIN:VCALENDAR\r\n" + String(repeating: "X-FILLER:" + String(repeating: "a", count: 990) + "\r\n", count: 2200)
            Self.expectProblem(try await app.call(.POST, "/api/v1/calendars/\(calendar)/holidays/import", token: f.admin, raw: huge,
                                                  headers: [("Content-Type", "text/calendar")]), [413], "huge .ics")
            let stored = try await app.call(.GET, "/api/v1/calendars/\(calendar)", token: f.agent).json
            #expect(stored["time_zone"] as? String == "Europe/Madrid" && stored["name"] as? String == "Madrid office")

            Self.expectProblem(try await app.call(.PATCH, "/api/v1/sla-policies/\(policy)", token: f.admin, json: ["calendar_id": UUID().uuidString]), [422], "policy calendar")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/sla-policies/\(policy)", token: f.admin, json: ["rank": -1]), [422], "rank")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/sla-policies/\(UUID())", token: f.admin, json: ["rank": 1]), [404], "unknown policy")
            #expect(try await app.call(.GET, "/api/v1/sla-policies/\(policy)", token: f.agent).json["calendar_id"] as? String == calendar)

            let contracts: [(String, [String: Any], [UInt])] = [
                ("unknown organisation", ["organisation_id": UUID().uuidString, "name": "C", "starts_on": "2026-01-01"], [422]),
                ("a person's id as organisation", ["organisation_id": f.customerID, "name": "C", "starts_on": "2026-01-01"], [422]),
                ("unknown policy", ["organisation_id": f.organisationID, "name": "C", "starts_on": "2026-01-01", "sla_policy_id": UUID().uuidString], [422]),
                ("not a date", ["organisation_id": f.organisationID, "name": "C", "starts_on": "tomorrow"], [400, 422]),
                ("no start", ["organisation_id": f.organisationID, "name": "C"], [422]),
                ("blank name", ["organisation_id": f.organisationID, "name": " ", "starts_on": "2026-01-01"], [422]),
            ]
            for (label, body, codes) in contracts {
                Self.expectProblem(try await app.call(.POST, "/api/v1/contracts", token: f.admin, json: body), codes, label)
            }
            #expect(try await rowCount(app, "contracts") == 0)
            let contract = try await app.call(.POST, "/api/v1/contracts", token: f.admin,
                                              json: ["organisation_id": f.organisationID, "name": "Base", "starts_on": "2026-01-01"])
            let id = contract.json["id"] as! String
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/contracts/\(id)", token: f.admin, json: ["organisation_id": f.otherOrganisationID]), [422], "move contract")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/contracts/\(id)", token: f.admin, json: ["ends_on": "2025-01-01"]), [422], "end before start")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/contracts/\(UUID())", token: f.admin, json: ["name": "X"]), [404], "unknown contract")
            Self.expectProblem(try await app.call(.GET, "/api/v1/contracts?organisation_id=acme", token: f.agent), [400], "filter")
            Self.expectProblem(try await app.call(.POST, "/api/v1/contracts", token: f.agent,
                                                  json: ["organisation_id": f.organisationID, "name": "Mine", "starts_on": "2026-01-01"]), [403], "agent")
        }
    }

    @Test("automations: bad changes, bad drafts and oversized rules are refused and change nothing", arguments: TestDatabase.all)
    func automations(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let rule = try await AutomationAPITests.rule(app, f.admin, ["name": "Tag VPN", "trigger": "case_created",
                                                                        "conditions": [["field": "subject", "operator": "contains", "value": "vpn"]],
                                                                        "actions": [["type": "add_tag", "value": "vpn"]]])
            let id = rule.json["id"] as! String
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/automations/\(id)", token: f.admin, json: ["actions": []]), [422], "no actions")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/automations/\(id)", token: f.admin, json: ["position": 1_000_000]), [422], "position")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/automations/\(id)", token: f.admin, json: ["name": ""]), [422], "blank name")
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/automations/\(UUID())", token: f.admin, json: ["active": false]), [404], "unknown rule")
            let many = Array(repeating: ["field": "priority", "operator": "is", "value": "high"], count: 51)
            Self.expectProblem(try await app.call(.PATCH, "/api/v1/automations/\(id)", token: f.admin, json: ["conditions": many]), [422], "51 conditions")
            Self.expectProblem(try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin,
                                                  json: ["trigger": "time", "actions": [["type": "escalate"]]]), [422], "draft without conditions")
            Self.expectProblem(try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin, raw: "{not json"), [400], "draft not JSON")
            Self.expectProblem(try await app.call(.POST, "/api/v1/automations/\(UUID())/dry-run", token: f.admin), [404], "dry run unknown")
            Self.expectProblem(try await app.call(.POST, "/api/v1/automations/dry-run", token: f.agent,
                                                  json: ["trigger": "case_created", "actions": [["type": "escalate"]]]), [403], "agent draft")
            let stored = try await app.call(.GET, "/api/v1/automations/\(id)", token: f.agent).json
            #expect(stored["name"] as? String == "Tag VPN" && (stored["actions"] as? [[String: Any]])?.count == 1 && stored["position"] as? Int == 100)
        }
    }
}
