import Foundation
import Testing
import Vapor
@testable import CasebookServer

@Suite("Area pages: create, edit and act through the forms")
struct AreaWorkflowTests {
    static let periods = #"[{"weekday": "monday", "start": "09:00", "end": "17:00"}, {"weekday": "tuesday", "start": "09:00", "end": "17:00"}]"#

    /// The message a refused form shows, for a failing expectation to say.
    static func alert(_ response: APIResponse) -> String {
        guard let start = response.text.range(of: "role=\"alert\"") else { return "\(response.status)" }
        return String(response.text[start.upperBound...].prefix(300))
    }

    static func created(_ response: APIResponse, under path: String) -> String? {
        guard response.status == .seeOther, let location = response.headers.first(name: .location), location.hasPrefix(path + "/") else { return nil }
        return String(location.dropFirst(path.count + 1))
    }

    @Test("service levels: a calendar with imported holidays, a policy typed as minutes per priority, a rule tried in a dry run", arguments: TestDatabase.all)
    func serviceLevels(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app, subject: "Printer outage on floor 2")
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            _ = try await admin.get(app, "/admin/calendars")
            let calendar = try await admin.post(app, "/admin/calendars", ["name": "Madrid office", "time_zone": "Europe/Madrid", "periods": Self.periods])
            let calendarID = try #require(Self.created(calendar, under: "/admin/calendars"))
            let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261208\r\nSUMMARY:Inmaculada\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            let imported = try await admin.post(app, "/admin/calendars/\(calendarID)/import", ["ics": ics])
            #expect(imported.status == .seeOther)
            let calendarPage = try await admin.get(app, "/admin/calendars/\(calendarID)")
            #expect(calendarPage.text.contains("Imported. Added: 1.") && calendarPage.text.contains("Inmaculada"))

            var policy = ["name": "Gold", "kind": "formal", "calendar_id": calendarID, "rank": "1", "warn_at_percent": "75",
                          "conditions.priorities": "urgent\nhigh", "active": "on"]
            policy["targets.urgent.first_response_minutes"] = "60"
            policy["targets.urgent.resolution_minutes"] = "480"
            let added = try await admin.post(app, "/admin/sla-policies", policy)
            let policyID = try #require(Self.created(added, under: "/admin/sla-policies"))
            let stored = try await app.call(.GET, "/api/v1/sla-policies/\(policyID)", token: fixture.admin)
            let targets = stored.json["targets"] as? [String: [String: Any]]
            #expect(targets?["urgent"]?["first_response_minutes"] as? Int == 60 && targets?["urgent"]?["resolution_minutes"] as? Int == 480)
            #expect((stored.json["conditions"] as? [String: Any])?["priorities"] as? [String] == ["urgent", "high"])
            let editPage = try await admin.get(app, "/admin/sla-policies/\(policyID)")
            #expect(editPage.text.contains("name=\"targets.urgent.first_response_minutes\" type=\"number\" value=\"60\""), "the edit form starts from the policy")

            let rule = try await admin.post(app, "/admin/automations", [
                "name": "Outages are urgent", "trigger": "case_created", "active": "on",
                "conditions": #"[{"field": "subject", "operator": "contains", "value": "outage"}]"#,
                "actions": #"[{"type": "set_priority", "value": "urgent"}]"#])
            let ruleID = try #require(Self.created(rule, under: "/admin/automations"))
            let dryRun = try await admin.post(app, "/admin/automations/\(ruleID)/dry-run", [:])
            #expect(dryRun.status == .ok && dryRun.text.contains("Dry run: result") && dryRun.text.contains("href=\"/desk/cases/\(reference)\""), "\(dryRun.text.suffix(3000))")
        }
    }

    @Test("problems and root-cause reports: record, link a case, release the fix, write and submit a report", arguments: TestDatabase.all)
    func problems(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app, subject: "Jams after update")
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/problems/records")
            let problem = try await agent.post(app, "/problems/records", ["title": "Firmware 4.2 jams", "status": "known_error",
                                                                           "workaround": "Feed one sheet at a time.", "cases": reference])
            let problemID = try #require(Self.created(problem, under: "/problems/records"))
            let page = try await agent.get(app, "/problems/records/\(problemID)")
            #expect(page.text.contains("href=\"/desk/cases/\(reference)\"") && page.text.contains("Feed one sheet at a time."))
            let unknownCase = try await agent.post(app, "/problems/records/\(problemID)/cases", ["reference": "CB-999999"])
            #expect(unknownCase.status == .unprocessableEntity || unknownCase.status == .notFound)
            #expect(unknownCase.text.contains("value=\"CB-999999\""))
            let product = try await app.call(.POST, "/api/v1/products", token: fixture.admin, json: ["name": "Printer"])
            let productID = try #require(product.json["id"] as? String)
            let version = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: fixture.admin, json: ["name": "4.3"])
            let versionID = try #require(version.json["id"] as? String)
            let withoutVersion = try await agent.post(app, "/problems/records/\(problemID)/release-fix", ["message": "Update to 4.3."])
            #expect(withoutVersion.status == .unprocessableEntity && withoutVersion.text.contains("Update to 4.3."))
            let released = try await agent.post(app, "/problems/records/\(problemID)/release-fix", ["message": "Update to 4.3.", "fix_version_id": versionID])
            #expect(released.status == .seeOther, "\(Self.alert(released))")
            let after = try await app.call(.GET, "/api/v1/problems/\(problemID)", token: fixture.admin)
            #expect(after.json["status"] as? String == "fix_released")

            let both = try await agent.post(app, "/problems/rca", ["title": "Jams in 4.2", "problem_id": problemID, "case_reference": reference])
            #expect(both.status == .unprocessableEntity && both.text.contains("one of them"))
            let report = try await agent.post(app, "/problems/rca", ["title": "Jams in 4.2", "problem_id": problemID])
            let reportID = try #require(Self.created(report, under: "/problems/rca"), "\(Self.alert(report))")
            let written = try await agent.post(app, "/problems/rca/\(reportID)", [
                "title": "Jams in 4.2", "customer.summary": "A firmware change made the feeder grab two sheets.",
                "customer.root_cause": "Feeder timing changed in 4.2.",
                "customer.contributing_factors": "No test with thin paper\nRushed release", "internal.summary": "Regression in feeder timing."])
            #expect(written.status == .seeOther)
            let submitted = try await agent.post(app, "/problems/rca/\(reportID)/submit", [:])
            #expect(submitted.status == .seeOther, "\(Self.alert(submitted))")
            let stored = try await app.call(.GET, "/api/v1/rca-reports/\(reportID)", token: fixture.admin)
            #expect(stored.json["customer_status"] as? String == "in_review")
            #expect((stored.json["customer"] as? [String: Any])?["contributing_factors"] as? [String] == ["No test with thin paper", "Rushed release"])
        }
    }

    @Test("equipment, knowledge, accounts and tokens: edits clear what was emptied; a new token is shown once", arguments: TestDatabase.all)
    func everydayEdits(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            _ = try await admin.get(app, "/equipment/assets")
            let asset = try await admin.post(app, "/equipment/assets", ["name": "Press 7", "organisation_id": fixture.organisationID, "asset_type": "printer",
                                                                        "criticality": "high", "location": "Floor 2", "monitored": "on"])
            let assetID = try #require(Self.created(asset, under: "/equipment/assets"))
            let edited = try await admin.post(app, "/equipment/assets/\(assetID)", ["name": "Press 7", "asset_type": "printer", "criticality": "high", "location": ""])
            #expect(edited.status == .seeOther, "\(Self.alert(edited))")
            let stored = try await app.call(.GET, "/api/v1/assets/\(assetID)", token: fixture.admin)
            #expect(stored.json["location"] as? String == nil && stored.json["monitored"] as? Bool == false, "\(stored.text)")
            let monitored = try await admin.get(app, "/equipment/assets?monitored=true")
            #expect(!monitored.text.contains("Press 7"), "the monitored filter is applied")

            let article = try await admin.post(app, "/knowledge/articles", ["title": "Clearing a paper jam", "body": "Open tray 2.", "status": "published",
                                                                            "audience": "public", "language": "en"])
            #expect(Self.created(article, under: "/knowledge/articles") != nil)

            let organisation = try await admin.post(app, "/customers/organisations/\(fixture.organisationID)", ["name": "Acme", "domain": "acme.example", "seats": "40"])
            #expect(organisation.status == .seeOther)
            let account = try await admin.get(app, "/customers/organisations/\(fixture.organisationID)")
            #expect(account.text.contains("Open cases") && account.text.contains("carla@acme.example"))

            let canned = try await admin.post(app, "/admin/canned", ["title": "Thanks", "language": "en", "body": "Thank you, {{customer.first_name}}."])
            let cannedID = try #require(Self.created(canned, under: "/admin/canned"))
            let reworded = try await admin.post(app, "/admin/canned/\(cannedID)", ["title": "Thanks for waiting", "language": "en",
                                                                                   "body": "Thank you, {{customer.first_name}}."])
            #expect(reworded.status == .seeOther, "\(Self.alert(reworded))")
            let storedCanned = try await app.call(.GET, "/api/v1/canned-responses/\(cannedID)", token: fixture.admin)
            #expect(storedCanned.json["title"] as? String == "Thanks for waiting")
            let deleted = try await admin.post(app, "/admin/canned/\(cannedID)/delete", [:])
            #expect(deleted.status == .seeOther && deleted.headers.first(name: .location) == "/admin/canned")

            let people = try await admin.get(app, "/admin/users")
            #expect(people.text.contains("<option value=\"agent\" selected>"), "adding a person starts as an agent")
            let person = try await admin.post(app, "/customers/people", ["email": "dora@acme.example", "name": "Dora", "role": "customer",
                                                                         "organisation_id": fixture.organisationID])
            let personID = try #require(Self.created(person, under: "/customers/people"), "\(Self.alert(person))")
            let renamed = try await admin.post(app, "/customers/people/\(personID)", ["name": "Dora Díaz", "role": "customer",
                                                                                      "organisation_id": fixture.organisationID, "active": "on"])
            #expect(renamed.status == .seeOther, "\(Self.alert(renamed))")
            let storedPerson = try await app.call(.GET, "/api/v1/users/\(personID)", token: fixture.admin)
            #expect(storedPerson.json["name"] as? String == "Dora Díaz" && storedPerson.json["active"] as? Bool == true)

            let template = try await admin.get(app, "/admin/templates?name=acknowledgement&language=en")
            #expect(template.text.contains("{{case.reference}}") && template.text.contains("<option value=\"acknowledgement\" selected>"),
                    "the edit box starts from the template in use")

            let token = try await admin.post(app, "/admin/tokens", ["name": "Monitoring bridge"])
            #expect(token.status == .seeOther)
            let shown = try await admin.get(app, "/admin/tokens")
            #expect(shown.text.contains("Copy it now, it will not be shown again: "))
            let again = try await admin.get(app, "/admin/tokens")
            #expect(!again.text.contains("Copy it now"), "the token is shown once")

            // Another person's token, an id that is not one, and one that does not exist: refused, nothing revoked.
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let tokens = try await app.call(.GET, "/api/v1/tokens", token: fixture.admin).list
            let adminToken = try #require(tokens.first { $0["name"] as? String == "Monitoring bridge" }?["id"] as? String)
            _ = try await agent.get(app, "/admin/tokens")
            let foreign = try await agent.post(app, "/admin/tokens/\(adminToken)/revoke", [:])
            #expect(foreign.status != .seeOther, "\(foreign.status)")
            let still = try await app.call(.GET, "/api/v1/tokens", token: fixture.admin).list.first { $0["id"] as? String == adminToken }
            #expect(still?["revoked_at"] == nil || still?["revoked_at"] is NSNull, "another person's token stays")
            #expect(try await agent.post(app, "/admin/tokens/..%2F..%2Fusers/revoke", [:]).status == .notFound)
            #expect(try await admin.post(app, "/admin/tokens/\(UUID().uuidString)/revoke", [:]).status != .seeOther)
        }
    }
}

@Suite("Area pages: notices, stock, reports and commands on a list")
struct AreaCommandTests {
    @Test("a notice is drafted with its recipients shown, then sent once; parts are counted and used; list commands run", arguments: TestDatabase.all)
    func noticesPartsCommands(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let product = try await app.call(.POST, "/api/v1/products", token: fixture.admin, json: ["name": "Printer"])
            let productID = try #require(product.json["id"] as? String)
            let version = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: fixture.admin, json: ["name": "4.2"])
            let versionID = try #require(version.json["id"] as? String)
            _ = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                   json: ["subject": "Jams", "description": "Tray 2", "product_id": productID, "product_version_id": versionID])
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/problems/notices")
            let draft = try await agent.post(app, "/problems/notices", ["product_version_id": versionID, "subject": "Update to 4.3",
                                                                         "body": "A fix for tray 2 jams is out."])
            let noticeID = try #require(AreaWorkflowTests.created(draft, under: "/problems/notices"), "\(AreaWorkflowTests.alert(draft))")
            let page = try await agent.get(app, "/problems/notices/\(noticeID)")
            #expect(page.text.contains("carla@acme.example") && page.text.contains("Send to these recipients"))
            let sent = try await agent.post(app, "/problems/notices/\(noticeID)/send", [:])
            #expect(sent.status == .seeOther)
            let after = try await agent.get(app, "/problems/notices/\(noticeID)")
            #expect(!after.text.contains("Send to these recipients"), "a sent notice offers no second send")
            let again = try await agent.post(app, "/problems/notices/\(noticeID)/send", [:])
            #expect(again.status == .unprocessableEntity && again.text.contains("already been sent"))

            let part = try await agent.post(app, "/equipment/parts", ["name": "Fan module", "sku": "FAN-200"])
            let partID = try #require(AreaWorkflowTests.created(part, under: "/equipment/parts"))
            let counted = try await agent.post(app, "/equipment/parts/\(partID)/stock", ["location": "Depot", "quantity": "3", "minimum": "2"])
            #expect(counted.status == .seeOther, "\(AreaWorkflowTests.alert(counted))")
            let forNothing = try await agent.post(app, "/equipment/parts/\(partID)/use", ["location": "Depot", "quantity": "2"])
            #expect(forNothing.status == .unprocessableEntity && forNothing.text.contains("parts are used for something"))
            let reference = try await fixture.openCase(app)
            let used = try await agent.post(app, "/equipment/parts/\(partID)/use", ["location": "Depot", "quantity": "2", "case_reference": reference])
            #expect(used.status == .seeOther, "\(AreaWorkflowTests.alert(used))")
            let tooMany = try await agent.post(app, "/equipment/parts/\(partID)/use", ["location": "Depot", "quantity": "5", "case_reference": reference])
            #expect(tooMany.status == .unprocessableEntity || tooMany.status == .conflict, "\(tooMany.status)")
            let low = try await agent.get(app, "/equipment/low-stock")
            #expect(low.text.contains("Fan module"))

            let planned = try await agent.post(app, "/equipment/work-orders/run/plan", [:])
            #expect(planned.status == .seeOther)
            let csv = "name,asset_type,organisation,criticality\nPress 9,printer,Acme,high\n"
            let imported = try await agent.post(app, "/equipment/assets/run/import", ["csv": csv])
            #expect(imported.status == .seeOther, "\(AreaWorkflowTests.alert(imported))")
            let badCSV = try await agent.post(app, "/equipment/assets/run/import", ["csv": "name,colour\nPress 10,red\n"])
            #expect(badCSV.status == .unprocessableEntity && badCSV.text.contains("Press 10,red"), "the file typed is kept")
            let recompute = try await agent.post(app, "/admin/sla-policies/run/recompute", [:])
            #expect(recompute.status == .forbidden, "agents do not define service levels")

            var manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let satisfaction = try await manager.get(app, "/reports/satisfaction?group_by=organisation")
            #expect(satisfaction.status == .ok && satisfaction.text.contains("Response rate percent"))
            let deflection = try await manager.get(app, "/reports/deflection")
            #expect(deflection.status == .ok && deflection.text.contains("Deflection percent"))
        }
    }
}

@Suite("Area pages: the work on one case")
struct CaseWorkPageTests {
    @Test("from the case page: log a call, record a repair, start a report and draft an article; a case without a problem says none", arguments: TestDatabase.all)
    func caseWork(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app, subject: "Fan is loud", description: "The fan screams after an hour.")
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: fixture.agent, json: ["text": "Clean the fan filter behind the front cover."])
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let casePage = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(casePage.text.contains("href=\"/desk/case-work/\(reference)\""))
            let work = try await agent.get(app, "/desk/case-work/\(reference)")
            #expect(work.status == .ok && work.text.contains("<h1 id=\"area-title\">Fan is loud</h1>") && work.text.contains("None."))
            let call = try await agent.post(app, "/desk/case-work/\(reference)/calls", ["direction": "inbound", "number": "+34 600 000 000", "duration_seconds": "300",
                                                                                         "notes": "Walked through cleaning the filter."])
            #expect(call.status == .seeOther, "\(AreaWorkflowTests.alert(call))")
            let badCall = try await agent.post(app, "/desk/case-work/\(reference)/calls", ["direction": "inbound", "number": "+34 600", "duration_seconds": "-5"])
            #expect(badCall.status == .unprocessableEntity && badCall.text.contains("value=\"+34 600\""))
            let repair = try await agent.post(app, "/desk/case-work/\(reference)/repairs", ["description": "Fan module", "sent_on": "2026-12-01", "expected_on": "2026-12-10"])
            #expect(repair.status == .seeOther, "\(AreaWorkflowTests.alert(repair))")
            let after = try await agent.get(app, "/desk/case-work/\(reference)")
            #expect(after.text.contains("Walked through cleaning the filter.") && after.text.contains("Fan module"))
            let report = try await agent.post(app, "/desk/case-work/\(reference)/rca", ["title": "Loud fans"])
            #expect(report.status == .seeOther && (report.headers.first(name: .location) ?? "").hasPrefix("/problems/rca/"), "\(AreaWorkflowTests.alert(report))")
            let article = try await agent.post(app, "/desk/case-work/\(reference)/article-draft", [:])
            #expect(article.status == .seeOther && (article.headers.first(name: .location) ?? "").hasPrefix("/knowledge/articles/"), "\(AreaWorkflowTests.alert(article))")
            var manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let watched = try await manager.get(app, "/desk/case-work/\(reference)")
            #expect(watched.status == .ok && !watched.text.contains("Log call"), "account managers read the work, support does it")
        }
    }
}
