@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("The manager's dashboard and the time between updates")
struct DashboardTests {
    @Test("queue counts, time between updates, problems and affected customers; CSV; the page links each figure to its cases", arguments: TestDatabase.all)
    func dashboard(database: TestDatabase) async throws {
        let clock = TestClock(ReportTests.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let first = try await f.openCase(app, subject: "Jams every morning")
            let second = try await f.openCase(app, subject: "Angry: nothing prints and nobody answers!")
            clock.advance(3_600)
            _ = try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.agent, json: ["text": "Looking at it now."])
            clock.advance(4 * 3_600)
            _ = try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.agent, json: ["text": "Still on it: the part is ordered."])
            _ = try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.agent, json: ["text": "Internal: ask the vendor.", "visibility": "internal"])
            clock.advance(2 * 3_600)
            _ = try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.agent, json: ["text": "The part arrives tomorrow."])
            _ = try await app.call(.PATCH, "/api/v1/cases/\(second)", token: f.agent, json: ["status": "pending_customer", "assignee_id": f.agentID],
                                   headers: [("If-Match", "\"1\"")])
            let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "Tray 2 feeder", "cases": [first, second]])
            #expect(problem.status == .created)
            clock.advance(60)
            try await ReportRollup(services: app.casebook).run()

            let answer = try await app.call(.GET, "/api/v1/dashboard", token: f.manager)
            #expect(answer.status == .ok, "\(answer.text)")
            let queue = answer.json["queue"] as? [String: Any]
            let byStatus = queue?["by_status"] as? [String: Int]
            #expect(byStatus?["open"] == 1 && byStatus?["pending_customer"] == 1 && byStatus?["new"] == 0, "the reply opened the first case: \(answer.text)")
            #expect(queue?["unassigned"] as? Int == 1)
            let responsiveness = answer.json["responsiveness"] as? [String: Any]
            // Two gaps between the three public updates: 4 h and 2 h; the median reads from a bucket at most a quarter wider.
            let gap = responsiveness?["time_between_updates_hours"] as? Double ?? 0
            #expect(gap >= 2 && gap <= 5, "\(gap)")
            #expect((answer.json["top_problems"] as? [[String: Any]])?.first?["cases"] as? Int == 2)
            #expect((answer.json["most_affected"] as? [[String: Any]])?.first?["name"] as? String == "Acme")

            let updates = try await app.call(.GET, "/api/v1/reports/time-between-updates?from=2026-11-23&to=2026-11-23", token: f.manager)
            #expect((updates.json["summary"] as? [String: Any])?["cases"] as? Double == 2, "two gaps measured: \(updates.text)")

            let csv = try await app.call(.GET, "/api/v1/dashboard?format=csv", token: f.manager)
            #expect(csv.text.hasPrefix("figure,value\r\n") && csv.text.contains("problem: Tray 2 feeder,2\r\n"))
            #expect(try await app.call(.GET, "/api/v1/dashboard", token: f.customer).status == .forbidden)

            var manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let page = try await manager.get(app, "/reports/dashboard")
            #expect(page.status == .ok && page.text.contains("Time between updates") && page.text.contains("href=\"/desk?view=unassigned\""))
            #expect(page.text.contains("href=\"/problems/records/"))
            // In the reader's language, numbers written their way.
            let managerID = try #require(try await app.call(.GET, "/api/v1/users?role=account_manager", token: f.admin).list.first?["id"] as? String)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(managerID)", token: f.admin, json: ["language": "de"]).status == .ok)
            manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let german = try await manager.get(app, "/reports/dashboard")
            #expect(german.text.contains("Zeit zwischen Updates") && german.text.contains("Warteschlange jetzt") && !german.text.contains("Queue now"), "\(german.text)")
            #expect(PageNumber.format(1234.5, language: "de") == "1.234,5" && PageNumber.format(4.25, language: "es") == "4,25"
                    && PageNumber.format(1234.5, language: "en") == "1,234.5")
            let charts = try await manager.get(app, "/reports/charts?from=2026-11-23&to=2026-11-23")
            #expect(charts.status == .ok && charts.text.contains("/api/v1/reports/time-between-updates?format=svg&amp;from=2026-11-23"))
        }
    }
}
