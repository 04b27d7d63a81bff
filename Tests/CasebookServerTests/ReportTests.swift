@testable import CasebookServer
import CasebookCore
import Foundation
import Testing
import Vapor

@Suite("Reports from daily rollups")
struct ReportTests {
    static let monday = ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!

    @Test("volume, response and resolution percentiles, backlog, top categories and products; JSON, CSV and SVG; rollups follow changes", arguments: TestDatabase.all)
    func reports(database: TestDatabase) async throws {
        let clock = TestClock(Self.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let category = try await app.call(.POST, "/api/v1/categories", token: f.admin, json: ["name": "Printing"]).json["id"] as! String
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "PrintHub"]).json["id"] as! String
            var references: [String] = []
            for n in 0..<3 {
                let created = try await app.call(.POST, "/api/v1/cases", token: f.customer,
                                                 json: ["subject": "Jam \(n)", "description": "Tray \(n)", "category_id": category, "product_id": product])
                references.append(created.json["reference"] as! String)
            }
            clock.advance(3_600)
            _ = try await app.call(.POST, "/api/v1/cases/\(references[0])/messages", token: f.agent, json: ["text": "Looking at it"])
            clock.advance(2 * 3_600)
            try await SatisfactionTests.solve(app, f, references[0])
            clock.advance(86_400)
            _ = try await f.openCase(app, subject: "Next day", description: "Another one")
            clock.advance(60)
            #expect(try await ReportRollup(services: app.casebook, sliceSize: 2).run() == 2, "a day's three cases read two at a time")

            let volume = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-24", token: f.manager)
            #expect(volume.status == .ok, "\(volume.text)")
            let points = (volume.json["points"] as? [[String: Any]] ?? []).map { ($0["label"] as? String ?? "", $0["value"] as? Double ?? -1) }
            #expect(points.map(\.0) == ["2026-11-23", "2026-11-24"] && points.map(\.1) == [3, 1])
            #expect((volume.json["summary"] as? [String: Any])?["solved"] as? Double == 1)
            let first = try await app.call(.GET, "/api/v1/reports/first-response?from=2026-11-23&to=2026-11-24", token: f.manager)
            let p50 = (first.json["summary"] as? [String: Any])?["p50_hours"] as? Double ?? 0
            #expect(p50 >= 1 && p50 <= 1.26, "one hour, read from a bucket at most a quarter wider: \(p50)")
            let resolution = try await app.call(.GET, "/api/v1/reports/resolution?from=2026-11-23&to=2026-11-24", token: f.manager)
            #expect(((resolution.json["summary"] as? [String: Any])?["p50_hours"] as? Double ?? 0) >= 3)
            let backlog = try await app.call(.GET, "/api/v1/reports/backlog", token: f.manager)
            #expect((backlog.json["summary"] as? [String: Any])?["open"] as? Double == 3)
            let top = try await app.call(.GET, "/api/v1/reports/top-categories?from=2026-11-23&to=2026-11-24", token: f.manager)
            #expect((top.json["points"] as? [[String: Any]])?.first?["label"] as? String == "Printing")
            #expect((try await app.call(.GET, "/api/v1/reports/top-products?from=2026-11-23&to=2026-11-24", token: f.manager).json["points"] as? [[String: Any]])?.first?["value"] as? Double == 3)

            let csv = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-24&format=csv", token: f.manager)
            #expect(csv.text == "label,value\r\n2026-11-23,3.0\r\n2026-11-24,1.0\r\n")
            let svg = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-24&format=svg", token: f.manager)
            #expect(svg.headers.contentType?.subType == "svg+xml" && svg.text.hasPrefix("<svg") && svg.text.contains("<rect class=\"bar\""))

            // A later change to an older day's case is picked up by the next run, and only its day is redone.
            clock.advance(60)
            try await SatisfactionTests.solve(app, f, references[1])
            let redone = try await ReportRollup(services: app.casebook).run()
            #expect(redone == 1, "\(redone)")
            let after = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-24", token: f.manager)
            #expect((after.json["summary"] as? [String: Any])?["solved"] as? Double == 2)

            // A day summarised a moment ago waits (a second per thousand cases) and is not forgotten meanwhile, although
            // the watermark moves past its change.
            try await SatisfactionTests.solve(app, f, references[2])
            #expect(ReportRollup.lag(casesOpened: 1_000_000) == 1_000 && ReportRollup.lag(casesOpened: 3) < 0.01)
            #expect(try await ReportRollup(services: app.casebook).run() == 0, "summarised at this very instant: deferred")
            clock.advance(1)
            #expect(try await ReportRollup(services: app.casebook).run() == 1, "the deferred day, though nothing changed since")
            let later = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-24", token: f.manager)
            #expect((later.json["summary"] as? [String: Any])?["solved"] as? Double == 3)
            #expect(try await ReportRollup(services: app.casebook).run() == 0, "nothing left over")

            #expect(try await app.call(.GET, "/api/v1/reports/weather", token: f.manager).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/reports/volume?from=yesterday", token: f.manager).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/reports/volume?format=pdf", token: f.manager).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/reports/volume?from=2026-12-01&to=2026-11-01", token: f.manager).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/reports/volume", token: f.customer).status == .forbidden)
        }
    }

    @Test("a day's figures are its parts merged, and a change redoes only its own part", arguments: TestDatabase.all)
    func parts(database: TestDatabase) async throws {
        let clock = TestClock(Self.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            var references: [String] = []
            for n in 0..<5 { references.append(try await f.openCase(app, subject: "Jam \(n)", description: "Tray \(n)")) }
            clock.advance(60)
            let rollup = ReportRollup(services: app.casebook, sliceSize: 2, partSize: 2)
            #expect(try await rollup.run() == 1)
            let sql = app.casebook.store.sql
            func partTimes() async throws -> [Int: Date] {
                Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT part, updated_at FROM report_day_parts").all().map {
                    (try $0.decode(column: "part", as: Int.self), try $0.decode(column: "updated_at", as: Date.self))
                })
            }
            let before = try await partTimes()
            #expect(before.count == 3, "five cases numbered 1 to 5 in blocks of two: \(before.keys.sorted())")
            #expect(try await ReportDayPartRepository.merged(LocalDate(parsing: "2026-11-23")!, on: sql).created == 5)

            clock.advance(60)
            try await SatisfactionTests.solve(app, f, references[3])
            clock.advance(60)
            #expect(try await rollup.run() == 1)
            let after = try await partTimes()
            let solvedPart = Int(references[3].split(separator: "-").last ?? "")! / 2
            #expect(after.filter { before[$0.key] != $0.value }.map(\.key) == [solvedPart], "only the solved case's part is redone")
            let volume = try await app.call(.GET, "/api/v1/reports/volume?from=2026-11-23&to=2026-11-23", token: f.manager)
            #expect((volume.json["summary"] as? [String: Any])?["solved"] as? Double == 1)
            #expect((volume.json["points"] as? [[String: Any]])?.first?["value"] as? Double == 5, "the other parts still count")
        }
    }

    @Test("when parts were last summarised is read for many days at once, and only for the parts asked", arguments: TestDatabase.all)
    func summaryTimesOfManyDays(database: TestDatabase) async throws {
        try await withCasebook(database, clock: TestClock(Self.monday)) { app in
            let sql = app.casebook.store.sql
            let first = LocalDate(parsing: "2023-01-01")!
            let saved = (0..<1_200).map { DayPart(day: first.adding(days: $0), part: $0 % 3) }
            for part in saved { try await ReportDayPartRepository.save(DayTally(), of: part, at: Self.monday, on: sql) }
            let other = DayPart(day: first, part: 7)
            try await ReportDayPartRepository.save(DayTally(), of: other, at: Self.monday, on: sql)

            let asked = saved + [DayPart(day: first.adding(days: 5_000), part: 0)]
            let times = try await ReportDayPartRepository.summaryTimes(of: asked, on: sql)
            #expect(times.count == 1_200, "every saved part across three chunks of days, none for the day never summarised")
            #expect(times[saved[777]]?.at == Self.monday && times[saved[777]]?.cases == 0)
            #expect(times[other] == nil, "a part of the same day that was not asked for")
        }
    }
}
