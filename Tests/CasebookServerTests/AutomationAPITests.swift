@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Automations and escalation")
struct AutomationAPITests {
    static func rule(_ app: Application, _ token: String, _ body: [String: Any]) async throws -> APIResponse {
        let response = try await app.call(.POST, "/api/v1/automations", token: token, json: body)
        #expect(response.status == .created, "\(response.text)")
        return response
    }

    @Test("an escalation chain over time: event rules on create, a warning at 75%, escalation at breach, each once and explained",
          arguments: TestDatabase.all)
    func escalationChain(database: TestDatabase) async throws {
        let clock = TestClock(ServiceLevelAPITests.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await ServiceLevelAPITests.setUp(app, f)
            let managerID = try await app.call(.GET, "/api/v1/me", token: f.manager).json["id"] as! String
            #expect(try await app.call(.PATCH, "/api/v1/organisations/\(f.organisationID)", token: f.admin,
                                       json: ["account_manager_id": managerID]).status == .ok)
            _ = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L1 desk", "tier": 1])
            let l2 = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L2 network", "tier": 2, "member_ids": [f.agentID]])
            _ = try await Self.rule(app, f.admin, [
                "name": "Outages are high", "trigger": "case_created", "position": 1,
                "conditions": [["field": "subject", "operator": "contains", "value": "outage"]],
                "actions": [["type": "set_priority", "value": "high"], ["type": "add_tag", "value": "outage"]],
            ])
            _ = try await Self.rule(app, f.admin, [
                "name": "Warn the desk", "trigger": "time",
                "conditions": [["field": "sla_percent_used", "operator": "at_least", "value": 75]],
                "actions": [["type": "notify", "value": "group"], ["type": "add_internal_note", "value": "Three quarters of the target used."]],
            ])
            _ = try await Self.rule(app, f.admin, [
                "name": "Escalate breaches", "trigger": "time",
                "conditions": [["field": "sla_state", "operator": "is", "value": "breached"], ["field": "priority", "operator": "one_of", "value": ["high", "urgent"]]],
                "actions": [["type": "escalate"], ["type": "notify", "value": "account_manager"]],
            ])

            let created = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: ["subject": "Site outage in Leeds", "description": "All down"])
            let reference = created.json["reference"] as! String
            let staffView = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(created.json["priority"] as? String == "high" && staffView["tags"] as? [String] == ["outage"])

            clock.advance(50 * 60)
            #expect(try await TimeRuleSweep.run(services: app.casebook) == 1, "the 75% warning rule")
            #expect(try await TimeRuleSweep.run(services: app.casebook) == 0, "a time rule fires once per case")

            clock.advance(20 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            #expect(try await TimeRuleSweep.run(services: app.casebook) == 1, "the breach escalates")
            let escalated = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(escalated["tier"] as? Int == 2 && escalated["group_id"] as? String == l2.json["id"] as? String)

            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            let kinds = timeline.compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "rule_applied" }.count == 3)
            let escalation = timeline.first { $0["kind"] as? String == "escalated" }
            let why = escalation?["new_value"] as? String ?? ""
            #expect(why.contains("Tier 2") && why.contains("owner nobody yet") && why.contains("sla_state is breached"), "\(why)")
            let notified = timeline.filter { $0["kind"] as? String == "notification" }.compactMap { $0["new_value"] as? String }
            #expect(notified.contains { $0.hasPrefix("agent@cb.example") } == false, "the desk group had no members at warning time")
            #expect(notified.contains { $0.hasPrefix("am@cb.example") }, "\(notified)")
            let customerSees = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list
            #expect(!customerSees.contains { ["rule_applied", "escalated", "notification"].contains($0["kind"] as? String ?? "") })
        }
    }

    @Test("a dry run shows which cases a rule would touch and what would change, and writes nothing", arguments: TestDatabase.all)
    func dryRun(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app, subject: "Printer jams")
            _ = try await f.openCase(app, subject: "VPN drops")
            let before = try await rowCount(app, "timeline_entries")
            let draft = try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin, json: [
                "trigger": "time", "conditions": [["field": "subject", "operator": "contains", "value": "vpn"]],
                "actions": [["type": "set_priority", "value": "urgent"], ["type": "add_tag", "value": "network"]],
            ])
            #expect(draft.status == .ok, "\(draft.text)")
            #expect(draft.json["examined"] as? Int == 2 && draft.json["matched"] as? Int == 1)
            let item = (draft.json["items"] as? [[String: Any]])?.first
            let changes = item?["changes"] as? [[String: Any]] ?? []
            #expect(changes.contains { $0["field"] as? String == "priority" && $0["old_value"] as? String == "normal" && $0["new_value"] as? String == "urgent" })
            #expect(try await rowCount(app, "timeline_entries") == before)
            let saved = try await Self.rule(app, f.admin, ["name": "Noisy", "trigger": "time",
                                                           "conditions": [["field": "status", "operator": "is", "value": "new"]],
                                                           "actions": [["type": "add_tag", "value": "triage"]]])
            let savedRun = try await app.call(.POST, "/api/v1/automations/\(saved.json["id"] as! String)/dry-run", token: f.admin)
            #expect(savedRun.json["matched"] as? Int == 2)
        }
    }

    @Test("bad rules are refused with a problem; only admins define rules", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let bad: [[String: Any]] = [
                ["name": "a", "trigger": "time", "conditions": [], "actions": [["type": "escalate"]]],
                ["name": "b", "trigger": "case_created", "conditions": [["field": "mood", "operator": "is", "value": "x"]], "actions": [["type": "escalate"]]],
                ["name": "c", "trigger": "case_created", "conditions": [["field": "tier", "operator": "greater_than", "value": "two"]], "actions": [["type": "escalate"]]],
                ["name": "d", "trigger": "case_created", "actions": []],
                ["name": "e", "trigger": "case_created", "actions": [["type": "set_priority", "value": "critical"]]],
                ["name": "f", "trigger": "someday", "actions": [["type": "escalate"]]],
                ["name": "g", "trigger": "case_created", "actions": [["type": "escalate"]], "colour": "red"],
            ]
            for body in bad {
                let refused = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: body)
                #expect(refused.isProblem && [400, 422].contains(Int(refused.status.code)), "\(body["name"]!): \(refused.text)")
            }
            #expect(try await rowCount(app, "automation_rules") == 0)
            let agent = try await app.call(.POST, "/api/v1/automations", token: f.agent,
                                           json: ["name": "x", "trigger": "case_created", "actions": [["type": "escalate"]]])
            #expect(agent.status == .forbidden)
        }
    }

    @Test("rules hand cases only to current groups: a retired or unknown group or person is refused when saved, fails on the timeline when retired later, and escalation skips it",
          arguments: TestDatabase.all)
    func retiredGroups(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let old = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Old desk", "tier": 2]).json["id"] as! String
            #expect(try await app.call(.PATCH, "/api/v1/groups/\(old)", token: f.admin, json: ["retired": true]).status == .ok)
            let night = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Night desk", "tier": 3]).json["id"] as! String
            func routing(_ action: [String: Any]) -> [String: Any] {
                ["name": "Route", "trigger": "case_created", "actions": [action]]
            }
            for (action, says) in [(["type": "assign_group", "value": "Old desk"], "retired"), (["type": "assign_group", "value": old], "retired"),
                                   (["type": "assign_group", "value": "No such desk"], "no group"),
                                   (["type": "assign_person", "value": "gone@cb.example"], "no active member"),
                                   (["type": "assign_person", "value": f.customerID], "no active member"),
                                   (["type": "assign_group", "value": String(repeating: "x", count: 10_000)], "no group")] {
                let refused = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: routing(action))
                #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.text.contains(says), "\(action): \(refused.text)")
            }
            #expect(try await rowCount(app, "automation_rules") == 0)

            let rule = try await Self.rule(app, f.admin, routing(["type": "assign_group", "value": "Night desk"])).json["id"] as! String
            #expect(try await app.call(.PATCH, "/api/v1/groups/\(night)", token: f.admin, json: ["retired": true]).status == .ok)
            let reference = try await f.openCase(app, subject: "Badge reader offline")
            let view = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(view["group_id"] is NSNull || view["group_id"] == nil, "a retired group takes no new cases")
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            let failed = timeline.first { $0["kind"] as? String == "rule_failed" }
            #expect((failed?["new_value"] as? String)?.contains("retired group 'Night desk'") == true, "\(timeline)")
            let customerView = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list
            #expect(!customerView.contains { $0["kind"] as? String == "rule_failed" }, "the failure is internal")
            let switchedOff = try await app.call(.PATCH, "/api/v1/automations/\(rule)", token: f.admin, json: ["active": false])
            #expect(switchedOff.status == .ok && switchedOff.json["active"] as? Bool == false, "a rule naming a since-retired group can still be switched off: \(switchedOff.text)")

            // Tier 2's only group is retired, so no tier above 1 has a group: escalation holds and says why.
            let escalate: [String: Any] = ["trigger": "time", "conditions": [["field": "subject", "operator": "contains", "value": "badge"]],
                                           "actions": [["type": "escalate"]]]
            func dryRun() async throws -> [String: Any] {
                let run = try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin, json: escalate)
                #expect(run.status == .ok && run.json["matched"] as? Int == 1, "\(run.text)")
                return (run.json["items"] as? [[String: Any]])?.first ?? [:]
            }
            let held = try await dryRun()
            #expect((held["changes"] as? [[String: Any]] ?? []).isEmpty && held["escalation_held"] as? String == "the case is at tier 1, the highest with a group",
                    "\(held)")
            // With a current group at tier 2 the case goes up to it.
            let current = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Second line", "tier": 2]).json["id"] as! String
            let changes = try await dryRun()["changes"] as? [[String: Any]] ?? []
            #expect(changes.contains { $0["field"] as? String == "tier" && $0["new_value"] as? String == "2" })
            let change = changes.first { $0["field"] as? String == "group" }
            #expect((change?["new_value"] as? String)?.lowercased() == current.lowercased(), "the tier's current group: \(String(describing: change))")
        }
    }
}
