@testable import CasebookServer
import Foundation
import Testing
import Vapor

/// What broke in the console for a new team (issue 24's numbered defects), each pinned down.
@Suite("Console fixes")
struct ConsoleFixesTests {
    static func heading(_ html: String) -> String {
        guard let start = html.range(of: #"<h1 id="queue-title">"#), let end = html.range(of: "</h1>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.upperBound..<end.lowerBound]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
    }

    @Test("a filtered queue says what it holds: the heading names the filter, counts every match, and the status box keeps the choice",
          arguments: TestDatabase.all)
    func filteredQueueHeading(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var solved: [String] = []
            for n in 1...3 {
                let reference = try await f.openCase(app, subject: "VPN drops \(n)")
                _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "status": "solved"])
                solved.append(reference)
            }
            _ = try await f.openCase(app, subject: "VPN still open")
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let page = try await browser.get(app, "/desk?view=all&status=solved&q=VPN")
            #expect(page.status == .ok)
            let heading = Self.heading(page.text)
            #expect(heading.hasPrefix("All cases") && heading.contains("(3)"), "\(heading)")
            #expect(page.text.contains("status: solved") && page.text.contains("“VPN”"))
            #expect(page.text.contains(#"<option value="solved" selected>"#))
            for reference in solved { #expect(page.text.contains(reference)) }
            let open = Self.heading(try await browser.get(app, "/desk?view=all").text)
            #expect(open.hasPrefix("All open") && open.contains("(1)"), "\(open)")
            // The header's search covers every case, solved ones included, by reference too.
            let everywhere = try await browser.get(app, "/desk?view=all&status=any&q=\(solved[0])")
            #expect(everywhere.text.contains(#"id="global-q""#) && everywhere.text.contains(solved[0]) && everywhere.text.contains(#"<option value="any" selected>every status"#))
            #expect(Self.heading(everywhere.text).contains("(1)"), "\(Self.heading(everywhere.text))")
        }
    }

    @Test("breached cases have a queue of their own, apart from those breaching soon, without a future due time beside them",
          arguments: TestDatabase.all)
    func breachedApart(database: TestDatabase) async throws {
        let clock = TestClock(ServiceLevelAPITests.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await ServiceLevelAPITests.setUp(app, f)
            let late = try await ServiceLevelAPITests.openHighCase(app, f)
            clock.advance(70 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let breached = try await browser.get(app, "/desk?view=breached")
            #expect(breached.text.contains(late) && Self.heading(breached.text).contains("(1)"), "\(Self.heading(breached.text))")
            #expect(!breached.text.contains("breached · due"))
            let soon = try await browser.get(app, "/desk?view=breaching")
            #expect(!soon.text.contains(late), "a breached case is not 'breaching soon'")
        }
    }

    @Test("the timeline names groups, organisations and products instead of showing their ids", arguments: TestDatabase.all)
    func namesNotIDs(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Network team", "member_ids": [f.agentID]])
            let groupID = group.json["id"] as? String ?? ""
            let reference = try await f.openCase(app)
            let moved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "group_id": groupID])
            #expect(moved.status == .ok, "\(moved.text)")
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let page = try await browser.get(app, "/desk/cases/\(reference)")
            #expect(page.text.contains("Group: — → Network team"), "the group by name")
            #expect(!page.text.contains("→ \(groupID)"))
        }
    }

    @Test("customers see what was said and the status in their language, not the desk's field changes", arguments: TestDatabase.all)
    func portalShowsNoDeskBookkeeping(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.customer, json: ["language": "es"])
            let reference = try await f.openCase(app)
            let changed = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                             json: ["version": 1, "priority": "high", "status": "open", "tags": ["vip"]])
            #expect(changed.status == .ok, "\(changed.text)")
            var browser = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let page = try await browser.get(app, "/portal/cases/\(reference)")
            #expect(!page.text.contains("priority") && !page.text.contains("vip"), "no desk fields")
            #expect(page.text.contains("Estado"), "the status change, in Spanish")
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list
            #expect(!timeline.contains { $0["field"] as? String == "priority" }, "priority is the desk's triage")
        }
    }

    @Test("sign-in takes an address with a non-ASCII letter; the case page carries its timeline position for the 'changed' banner; no form repeats an id",
          arguments: TestDatabase.all)
    func smallPageFixes(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let login = try await app.call(.GET, "/login")
            #expect(login.text.contains(#"id="email" name="email" type="text" inputmode="email""#))
            let created = try await app.call(.POST, "/api/v1/users", token: f.admin, json: [
                "email": "josé@acme.example", "name": "José", "role": "customer", "password": "a-good-password", "organisation_id": f.organisationID,
            ])
            #expect(created.status == .created, "\(created.text)")
            let signedIn = try await BrowserSession.signIn(app, email: "josé@acme.example")
            #expect(signedIn.cookie.contains("casebook_session="))

            let reference = try await f.openCase(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let page = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(page.text.contains(#"data-position="2""#), "created and the first message")

            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            for section in ["canned", "users", "organisations", "products", "categories", "templates", "groups"] {
                let html = try await admin.get(app, "/admin/\(section)").text
                let ids = html.matches(of: /\bid="([^"]+)"/).map { String($0.1) }
                #expect(Set(ids).count == ids.count, "\(section): \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
            }
        }
    }
}
