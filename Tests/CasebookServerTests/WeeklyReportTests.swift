@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("The weekly report by mail")
struct WeeklyReportTests {
    @Test("admins choose who receives it; it goes once a week whatever the ticks; 'send now' sends again; the page shows the list", arguments: TestDatabase.all)
    func weekly(database: TestDatabase) async throws {
        let clock = TestClock(ReportTests.monday)  // Monday 23 November 2026, 09:00 UTC: after this week's sending time
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app)
            let added = try await app.call(.POST, "/api/v1/report-recipients", token: f.admin, json: ["email": "Lead@Example.com"])
            #expect(added.status == .created && added.json["email"] as? String == "lead@example.com")
            #expect(try await app.call(.POST, "/api/v1/report-recipients", token: f.admin, json: ["email": "lead@example.com"]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/report-recipients", token: f.admin, json: ["email": "not an address"]).status == .unprocessableEntity)
            for bad in ["", String(repeating: "a", count: 250) + "@example.com", "a@b", "<x@example.com>", "x@example.com\u{0}"] {
                #expect(try await app.call(.POST, "/api/v1/report-recipients", token: f.admin, json: ["email": bad]).status.code >= 400, "\(bad.prefix(20))")
            }
            #expect(try await app.call(.DELETE, "/api/v1/report-recipients/\(UUID().uuidString)", token: f.admin).status == .notFound)
            #expect(try await app.call(.DELETE, "/api/v1/report-recipients/not-an-id", token: f.admin).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/report-recipients", token: f.agent, json: ["email": "x@example.com"]).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/report-recipients", token: f.manager).list.count == 1)

            #expect(WeeklyReport.week(of: ReportTests.monday) == "2026-W48")
            let sql = app.db as! any SQLDatabase
            for _ in 0..<3 { try await WeeklyReport.schedule(at: clock.now, on: sql) }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'reports.weekly'").first()?.decode(column: "n", as: Int.self) == 1,
                    "one job per week, however many ticks")
            let report = WeeklyReport(services: app.casebook)
            #expect(try await report.send(week: "2026-W48") == 1)
            #expect(try await report.send(week: "2026-W48") == 0, "a second run of the same week sends nothing")
            let mail = try await sql.raw("SELECT subject, raw FROM outbound_messages WHERE subject LIKE 'Casebook weekly report%'").all()
            #expect(mail.count == 1)
            let raw = try mail.first?.decode(column: "raw", as: String.self) ?? ""
            #expect(raw.contains("Queue now: 1 open") && raw.contains("/reports/dashboard"))

            let now = try await app.call(.POST, "/api/v1/report-recipients/send", token: f.admin)
            #expect(now.status == .ok && now.json["sent"] as? Int == 1 && now.json["week"] as? String == "2026-W48")

            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let page = try await admin.get(app, "/reports/weekly")
            #expect(page.status == .ok && page.text.contains("lead@example.com") && page.text.contains("Send this week&#39;s report now"))
            let id = try #require(added.json["id"] as? String)
            let removed = try await admin.post(app, "/reports/weekly/\(id)/remove", [:])
            #expect(removed.status == .seeOther)
            #expect(try await app.call(.GET, "/api/v1/report-recipients", token: f.admin).list.isEmpty)
        }
    }
}
