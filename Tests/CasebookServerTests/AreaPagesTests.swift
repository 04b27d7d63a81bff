import Foundation
import Testing
import Vapor
@testable import CasebookServer

@Suite("Area pages: a page for every API area, with the API's rules and messages")
struct AreaPagesTests {
    @Test("every area and section index opens for an admin, and the header shows every section", arguments: TestDatabase.all)
    func everyAreaOpens(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            for area in AreaCatalog.all where area.hasList {
                let page = try await admin.get(app, area.path)
                #expect(page.status == .ok, "\(area.path): \(page.status)")
                #expect(page.text.contains("<h1 id=\"area-title\">\(area.title.replacingOccurrences(of: "'", with: "&#39;"))</h1>"), "\(area.path)")
            }
            for section in PageSection.allCases where section != .admin && section != .desk {
                let index = try await admin.get(app, section.path)
                #expect(index.status == .ok, "\(section.path)")
                for area in AreaCatalog.all where area.section == section && area.hasList { #expect(index.text.contains("href=\"\(area.path)\""), "\(area.path) on \(section.path)") }
                #expect(index.text.contains("aria-current=\"page\">\(section.title)</a>"))
            }
            let adminIndex = try await admin.get(app, "/admin")
            for area in AreaCatalog.all where area.section == .admin { #expect(adminIndex.text.contains("href=\"\(area.path)\""), "\(area.path) on /admin") }
        }
    }

    @Test("each role sees what the API lets it see: forms only for writers, customers go to the portal", arguments: TestDatabase.all)
    func roles(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let assets = try await agent.get(app, "/equipment/assets")
            #expect(assets.status == .ok && assets.text.contains("id=\"create\""))
            let jobs = try await agent.get(app, "/admin/jobs")
            #expect(jobs.status == .forbidden)
            let policies = try await agent.get(app, "/admin/sla-policies")
            #expect(policies.status == .ok && !policies.text.contains("id=\"create\""), "agents read service levels but do not define them")
            let desk = try await agent.get(app, "/desk")
            #expect(!desk.text.contains("href=\"/admin\""), "the Admin link is for admins")

            var manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let articles = try await manager.get(app, "/knowledge/articles")
            #expect(articles.status == .ok && !articles.text.contains("id=\"create\""), "account managers read, support writes")
            let refused = try await manager.post(app, "/knowledge/articles", ["title": "Mine", "body": "Text", "status": "draft", "audience": "public", "language": "en"])
            #expect(refused.status == .forbidden)

            var customer = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let problems = try await customer.get(app, "/problems/records")
            #expect(problems.status == .seeOther && problems.headers.first(name: .location) == "/portal")
        }
    }

    @Test("a refused form comes back with the API's message beside its field and everything typed kept", arguments: TestDatabase.all)
    func refusedFormKeepsInput(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            _ = try await admin.get(app, "/admin/calendars")
            let periods = #"[{"weekday": "monday", "start": "09:00", "end": "17:00"}]"#
            let badZone = try await admin.post(app, "/admin/calendars", ["name": "Madrid office", "time_zone": "Mars/Olympus", "periods": periods])
            #expect(badZone.status == .unprocessableEntity)
            #expect(badZone.text.contains("role=\"alert\"") && badZone.text.contains("time_zone"))
            #expect(badZone.text.contains("value=\"Madrid office\"") && badZone.text.contains("value=\"Mars/Olympus\""))
            #expect(badZone.text.contains("&quot;weekday&quot;: &quot;monday&quot;"), "the JSON typed is kept")
            #expect(badZone.text.contains("aria-invalid=\"true\""))

            let badJSON = try await admin.post(app, "/admin/calendars", ["name": "Lisbon", "time_zone": "Europe/Lisbon", "periods": "[{weekday: monday"])
            #expect(badJSON.status == .unprocessableEntity && badJSON.text.contains("is not valid JSON") && badJSON.text.contains("[{weekday: monday"))

            let notNumber = try await admin.post(app, "/equipment/vendors", ["name": "FixIt", "turnaround_days": "soon"])
            #expect(notNumber.status == .unprocessableEntity && notNumber.text.contains("must be a whole number") && notNumber.text.contains("value=\"FixIt\""))
            let list = try await app.call(.GET, "/api/v1/calendars", token: try await AdminOperations.issueToken(app, email: "admin@cb.example", name: "check"))
            #expect(list.status == .ok && list.list.isEmpty, "nothing was stored by a refused form")
        }
    }

    @Test("with the demo loaded, every list and the first entry of each opens, and every section has something in it", arguments: TestDatabase.all)
    func everyEntryOpensOnTheDemo(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await DemoData.load(app, cases: 12)
            var admin = try await BrowserSession.signIn(app, email: "admin@casebook.example", password: DemoData.password)
            // The demo's Spanish reply by the admin waits for Eva, who writes Spanish.
            var eva = try await BrowserSession.signIn(app, email: "eva@casebook.example", password: DemoData.password)
            let queue = try await eva.get(app, "/desk/reviews")
            #expect(queue.status == .ok && queue.text.contains("rotación de los registros") && queue.text.contains("Approve and send"))
            for area in AreaCatalog.all where area.hasList {
                let list = try await admin.get(app, area.path)
                #expect(list.status == .ok, "\(area.path): \(list.status)")
                guard area.hasEntries, let start = list.text.range(of: "href=\"\(area.path)/") else { continue }
                let id = list.text[start.upperBound...].prefix { $0 != "\"" }
                let entry = try await admin.get(app, "\(area.path)/\(id)")
                #expect(entry.status == .ok, "\(area.path)/\(id): \(entry.status)")
            }
            for path in ["/problems/records", "/problems/rca", "/knowledge/articles", "/equipment/assets", "/equipment/work-orders", "/equipment/parts",
                         "/admin/sla-policies", "/admin/calendars", "/admin/automations", "/admin/canned", "/admin/custom-fields", "/equipment/alerts"] {
                let list = try await admin.get(app, path)
                #expect(!list.text.contains("Nothing here yet."), "the demo leaves \(path) empty")
            }
            // Part of what Spanish customers read is translated, part is left for the translations page.
            let spanish = try await admin.get(app, "/admin/translations?language=es&show=all")
            #expect(spanish.text.contains(">Avería de hardware</textarea>") && spanish.text.contains("Missing"), "\(spanish.text)")
            let kb = try await app.call(.GET, "/kb", headers: [("Accept-Language", "es")])
            #expect(kb.text.contains("El controlador se reinicia de noche") && !kb.text.contains("Controller restarts at night"), "the Spanish version, once")
        }
    }
}
