@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Customers know what to expect")
struct PortalExpectationTests {
    @Test("the portal says when we will answer and aim to resolve, in the customer's zone; a moved fix version is told to every linked case", arguments: TestDatabase.all)
    func expectations(database: TestDatabase) async throws {
        // Monday 23 November 2026, 09:00 UTC = 10:00 in Madrid, inside office hours.
        let clock = TestClock(ReportTests.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await ServiceLevelAPITests.setUp(app, f)
            _ = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["time_zone": "Europe/Madrid"])
            let reference = try await ServiceLevelAPITests.openHighCase(app, f)
            var customer = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let page = try await customer.get(app, "/portal/cases/\(reference)")
            #expect(page.text.contains("What to expect"))
            // First response in one business hour: 11:00 Madrid time; resolution in eight: 18:00 the same day (office hours 09–17 end at 17:00,
            // so the last hour falls on Tuesday at 10:00).
            #expect(page.text.contains("We will answer by Monday, November 23 at 11:00 (Europe/Madrid)."))
            #expect(page.text.contains("We aim to resolve it by Tuesday, November 24 at 10:00 (Europe/Madrid)."))

            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let desk = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(desk.text.contains("Told to expect") && desk.text.contains("We will answer by Monday, November 23 at 11:00 (Europe/Madrid)."),
                    "the agent sees what the customer was told, in the customer's zone")

            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Switch"])
            let productID = try #require(product.json["id"] as? String)
            let first = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: f.admin, json: ["name": "7.1"]).json["id"] as? String
            let later = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: f.admin, json: ["name": "7.2"]).json["id"] as? String
            let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: [
                "title": "Routing table loss", "status": "known_error", "workaround": "Restart routing.", "cases": [reference], "fix_version_id": try #require(first)])
            let problemID = try #require(problem.json["id"] as? String, "\(problem.text)")
            let moved = try await app.call(.PATCH, "/api/v1/problems/\(problemID)", token: f.agent, json: ["fix_version_id": try #require(later)])
            #expect(moved.status == .ok)
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer)
            let texts = (messages.json["items"] as? [[String: Any]] ?? messages.list).compactMap { $0["text"] as? String }
            #expect(texts.contains { $0.contains("is now planned for version 7.2, instead of version 7.1") }, "\(texts)")
            let unchanged = try await app.call(.PATCH, "/api/v1/problems/\(problemID)", token: f.agent, json: ["workaround": "Reboot the switch instead."])
            #expect(unchanged.status == .ok)
            let after = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer)
            let count = (after.json["items"] as? [[String: Any]] ?? after.list).count
            #expect(count == texts.count, "a change that leaves the version alone tells nobody")
        }
    }
}
