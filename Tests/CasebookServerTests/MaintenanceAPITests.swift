@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Preventive maintenance over the API")
struct MaintenanceAPITests {
    /// Monday 23 November 2026, 09:00 UTC.
    static let monday = ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!

    static var checklist: [[String: Any]] { [
        ["id": "fans", "text": "Fans spin freely"], ["id": "filters", "text": "Filters clean"],
        ["id": "photo", "text": "Photo of the rack", "required": false],
    ] }

    static func plan(_ app: Application, _ f: Fixture, asset: String) async throws -> String {
        let plan = try await app.call(.POST, "/api/v1/maintenance/plans", token: f.agent, json: [
            "name": "Switch check", "asset_id": asset, "starts_on": "2026-11-23", "lead_days": 3, "checklist": checklist, "assignee_id": f.agentID,
        ])
        #expect(plan.status == .created, "\(plan.text)")
        return plan.json["id"] as? String ?? ""
    }

    @Test("plans generate work orders ahead of time, once; a signed visit shows on the tag; overdue visits warn the technician once", arguments: TestDatabase.all)
    func planAndComplete(database: TestDatabase) async throws {
        let clock = TestClock(Self.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let asset = try await AssetAPITests.asset(app, f)
            let assetID = asset["id"] as! String
            _ = try await Self.plan(app, f, asset: assetID)
            // A type plan: every UPS of Acme monthly, whatever its criticality.
            _ = try await AssetAPITests.asset(app, f, name: "UPS A", serial: "U-1", criticality: "low", extra: ["asset_type": "ups"])
            let typePlan = try await app.call(.POST, "/api/v1/maintenance/plans", token: f.agent, json: [
                "name": "UPS monthly", "asset_type": "UPS", "organisation_id": f.organisationID, "starts_on": "2026-11-24",
                "interval": ["count": 1, "unit": "month"], "checklist": [["id": "battery", "text": "Battery test"]],
            ])
            #expect(typePlan.status == .created, "\(typePlan.text)")

            let run = try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent)
            #expect(run.json["generated"] as? Int == 2, "the switch today (weekly, high) and the UPS tomorrow (within its 7-day lead)")
            #expect(try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent).json["generated"] as? Int == 0, "idempotent")
            let orders = try await app.call(.GET, "/api/v1/maintenance/work-orders?status=open&asset_id=\(assetID)", token: f.agent).list
            #expect(orders.count == 1 && orders[0]["due_on"] as? String == "2026-11-23" && orders[0]["assignee_id"] as? String == f.agentID)
            let order = orders[0]["id"] as! String

            // Bad completions are refused and change nothing.
            for body: [String: Any] in [
                ["answers": [["item_id": "fans", "outcome": "pass"]], "signature": "Agent"],
                ["answers": [["item_id": "fans", "outcome": "fail"], ["item_id": "filters", "outcome": "pass"]], "signature": "Agent"],
                ["answers": [["item_id": "fans", "outcome": "pass"], ["item_id": "filters", "outcome": "pass"]], "signature": " "],
                ["answers": [["item_id": "fans", "outcome": "great"]], "signature": "Agent"],
            ] {
                let refused = try await app.call(.POST, "/api/v1/maintenance/work-orders/\(order)/complete", token: f.agent, json: body)
                #expect((400..<500).contains(Int(refused.status.code)) && refused.isProblem, "\(refused.text)")
            }
            #expect(try await app.call(.POST, "/api/v1/maintenance/work-orders/\(order)/complete", token: f.customer,
                                       json: ["answers": [], "signature": "x"]).status == .forbidden)
            clock.advance(3_600)
            let done = try await app.call(.POST, "/api/v1/maintenance/work-orders/\(order)/complete", token: f.agent, json: [
                "answers": [["item_id": "fans", "outcome": "pass"], ["item_id": "filters", "outcome": "note", "note": "dusty; cleaned"]],
                "signature": "Agent Smith",
            ])
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.json["status"] as? String == "done" && done.json["result"] as? String == "passed_with_notes")
            #expect(done.json["completed_by"] as? String == f.agentID && done.json["signature"] as? String == "Agent Smith")
            #expect(try await app.call(.POST, "/api/v1/maintenance/work-orders/\(order)/complete", token: f.agent, json: [
                "answers": [["item_id": "fans", "outcome": "pass"], ["item_id": "filters", "outcome": "pass"]], "signature": "Again",
            ]).status == .conflict)

            let tagPath = String((asset["inspection_url"] as! String).dropFirst("http://127.0.0.1:8080".count))
            let tag = try await app.call(.GET, tagPath)
            #expect(tag.text.contains("Passed, with notes") && tag.text.contains("2026-11-23") && tag.text.contains("by agent"))
            let shown = try await app.call(.GET, "/api/v1/assets/\(assetID)", token: f.agent)
            #expect((shown.json["last_inspection"] as? [String: Any])?["result"] as? String == "passed_with_notes")

            // Four days on the next weekly visit (30 November) is within the lead time.
            clock.advance(4 * 86_400)
            #expect(try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent).json["generated"] as? Int == 1)
            #expect(try await app.call(.GET, "/api/v1/assets/\(assetID)", token: f.agent).json["next_due_on"] as? String == "2026-11-30")
            // Nobody goes: two days after it was due, the technician is told, once.
            clock.advance(5 * 86_400)
            let overdueRun = try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent)
            #expect(overdueRun.json["overdue_notified"] as? Int == 1, "the switch's technician; the UPS plan names nobody to tell")
            #expect(try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent).json["overdue_notified"] as? Int == 0)
            let notices = try await (app.db as! any SQLDatabase).raw("SELECT subject, recipients FROM outbound_messages WHERE kind = 'notification'").all()
            #expect(try notices.contains { try $0.decode(column: "subject", as: String.self) == "Overdue maintenance: Core switch" && $0.decode(column: "recipients", as: String.self).contains("agent@cb.example") })
            let overdue = try await app.call(.GET, "/api/v1/maintenance/work-orders?overdue=true", token: f.agent).list
            #expect(overdue.count >= 1 && overdue.allSatisfy { $0["overdue"] as? Bool == true })
            #expect(try await app.call(.GET, tagPath).text.contains("overdue"))

            let feed = try await app.call(.GET, "/api/v1/maintenance/calendar.ics?asset_id=\(assetID)", token: f.agent)
            #expect(feed.status == .ok && feed.headers.contentType?.subType == "calendar")
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.text.contains("DTSTART;VALUE=DATE:20261123") && feed.text.contains("SUMMARY:Done: Core switch"))
            #expect(feed.text.contains("STATUS:TENTATIVE"), "planned visits ahead are in the feed too")
        }
    }

    @Test("a failed check opens a follow-up incident, counted as an avoided outage until a customer reports the same asset", arguments: TestDatabase.all)
    func failedInspection(database: TestDatabase) async throws {
        let clock = TestClock(Self.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let asset = try await AssetAPITests.asset(app, f, criticality: "mission_critical")
            let assetID = asset["id"] as! String
            _ = try await Self.plan(app, f, asset: assetID)
            _ = try await app.call(.POST, "/api/v1/maintenance/run", token: f.agent)
            let order = try await app.call(.GET, "/api/v1/maintenance/work-orders?asset_id=\(assetID)", token: f.agent).list[0]["id"] as! String
            let failed = try await app.call(.POST, "/api/v1/maintenance/work-orders/\(order)/complete", token: f.agent, json: [
                "answers": [["item_id": "fans", "outcome": "fail", "note": "fan 2 seized"], ["item_id": "filters", "outcome": "pass"]],
                "signature": "Agent Smith",
            ])
            #expect(failed.status == .ok && failed.json["result"] as? String == "failed")
            let reference = try #require(failed.json["follow_up_case"] as? String)
            let incident = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent)
            #expect(incident.json["priority"] as? String == "urgent" && (incident.json["tags"] as? [String])?.contains("maintenance") == true)
            #expect(incident.json["organisation_id"] as? String == f.organisationID)
            #expect(try await app.call(.GET, tagPathOf(asset)).text.contains("Failed: under repair"))
            var account = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.manager)
            #expect(account.status == .ok, "\(account.text)")
            #expect(account.json["avoided_outages"] as? Int == 1 && account.json["assets"] as? Int == 1)
            #expect((account.json["avoided_outage_cases"] as? [[String: Any]])?.first?["source"] as? String == "maintenance")

            // The customer then reports the same equipment: it was not avoided after all.
            clock.advance(600)
            let reported = try await f.openCase(app, subject: "Switch is noisy", description: "Loud fan")
            #expect(try await app.call(.POST, "/api/v1/assets/\(assetID)/cases", token: f.agent, json: ["reference": reported]).status == .noContent)
            account = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.manager)
            #expect(account.json["avoided_outages"] as? Int == 0)
            #expect(try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.customer).status == .forbidden)
        }
    }

    func tagPathOf(_ asset: [String: Any]) -> String { String((asset["inspection_url"] as! String).dropFirst("http://127.0.0.1:8080".count)) }

    @Test("bad plans are refused and write nothing", arguments: TestDatabase.all)
    func badPlans(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let asset = try await AssetAPITests.asset(app, f)["id"] as! String
            for body: [String: Any] in [
                ["name": "x", "asset_id": asset, "asset_type": "switch", "checklist": Self.checklist],
                ["name": "x", "checklist": Self.checklist],
                ["name": "x", "asset_id": asset, "checklist": []],
                ["name": "x", "asset_id": asset, "checklist": [["id": "a", "text": "A"], ["id": "a", "text": "B"]]],
                ["name": "x", "asset_id": asset, "checklist": Self.checklist, "interval": ["count": 0, "unit": "day"]],
                ["name": "x", "asset_id": asset, "checklist": Self.checklist, "interval": ["count": 1, "unit": "fortnight"]],
                ["name": "x", "asset_id": asset, "checklist": Self.checklist, "lead_days": 400],
                ["name": "x", "asset_id": asset, "checklist": Self.checklist, "assignee_id": f.customerID],
                ["name": "x", "asset_id": UUID().uuidString, "checklist": Self.checklist],
            ] {
                let refused = try await app.call(.POST, "/api/v1/maintenance/plans", token: f.agent, json: body)
                #expect(refused.status.code >= 400 && refused.status.code < 500 && refused.isProblem, "\(body) → \(refused.text)")
            }
            #expect(try await rowCount(app, "maintenance_plans") == 0)
            #expect(try await app.call(.GET, "/api/v1/maintenance/work-orders?status=lost", token: f.agent).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/maintenance/work-orders/\(UUID().uuidString)", token: f.agent).status == .notFound)
        }
    }
}
