@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Service levels over the API")
struct ServiceLevelAPITests {
    /// Monday 23 November 2026, 09:00 in Madrid.
    static let mondayNine = ISO8601DateFormatter().date(from: "2026-11-23T08:00:00Z")!

    static let officeHours: [[String: String]] = ["monday", "tuesday", "wednesday", "thursday", "friday"].map {
        ["weekday": $0, "start": "09:00", "end": "17:00"]
    }

    /// A Madrid office-hours calendar and an informal policy for high priority: 1 h first response, 4 h updates, 8 h resolution.
    static func setUp(_ app: Application, _ f: Fixture) async throws -> (calendar: String, policy: String) {
        let calendar = try await app.call(.POST, "/api/v1/calendars", token: f.admin, json: [
            "name": "Madrid office", "time_zone": "Europe/Madrid", "periods": officeHours,
            "holidays": [["date": "2026-12-08", "name": "Inmaculada"]],
        ])
        #expect(calendar.status == .created, "\(calendar.text)")
        let policy = try await app.call(.POST, "/api/v1/sla-policies", token: f.admin, json: [
            "name": "Standard", "calendar_id": calendar.json["id"] as! String, "warn_at_percent": 75,
            "targets": ["high": ["first_response_minutes": 60, "next_update_minutes": 240, "resolution_minutes": 480]],
        ])
        #expect(policy.status == .created, "\(policy.text)")
        return (calendar.json["id"] as! String, policy.json["id"] as! String)
    }

    static func openHighCase(_ app: Application, _ f: Fixture) async throws -> String {
        let created = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
            "subject": "Core switch down", "description": "Nothing routes", "priority": "high", "requester_id": f.customerID,
        ])
        #expect(created.status == .created, "\(created.text)")
        return created.json["reference"] as! String
    }

    static func metric(_ sla: APIResponse, _ name: String) -> [String: Any] {
        (sla.json["metrics"] as? [[String: Any]] ?? []).first { $0["metric"] as? String == name } ?? [:]
    }

    @Test("a case's clocks: policy, due times, warnings and a breach recorded once on the internal timeline", arguments: TestDatabase.all)
    func clocksAndBreach(database: TestDatabase) async throws {
        let clock = TestClock(Self.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.setUp(app, f)
            let reference = try await Self.openHighCase(app, f)

            let sla = try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.agent)
            #expect(sla.status == .ok)
            #expect((sla.json["policy"] as? [String: Any])?["name"] as? String == "Standard")
            #expect(sla.json["time_zone"] as? String == "Europe/Madrid")
            let first = Self.metric(sla, "first_response")
            #expect(first["state"] as? String == "running" && first["due_at"] as? String == "2026-11-23T09:00:00.000Z")
            #expect(Self.metric(sla, "resolution")["due_at"] as? String == "2026-11-23T16:00:00.000Z")

            clock.advance(50 * 60)
            #expect(try await ServiceLevelSweep.checkDue(services: app.casebook) == 1)
            let warning = try await app.call(.GET, "/api/v1/sla/cases?state=warning", token: f.agent)
            #expect(warning.list.map { $0["reference"] as? String } == [reference])

            clock.advance(20 * 60)
            #expect(try await ServiceLevelSweep.checkDue(services: app.casebook) == 1)
            let breached = try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.agent)
            let broken = Self.metric(breached, "first_response")
            #expect(broken["state"] as? String == "breached" && broken["breached_at"] as? String == "2026-11-23T09:00:00.000Z")
            #expect((broken["explanation"] as? String)?.contains("no public reply yet") == true)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            clock.advance(60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)

            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            #expect(timeline.filter { $0["kind"] as? String == "sla_breach" }.count == 1, "a breach is recorded once")
            #expect(timeline.filter { $0["kind"] as? String == "sla_warning" }.count == 1)
            let customerView = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list
            #expect(!customerView.contains { ($0["kind"] as? String)?.hasPrefix("sla_") == true }, "SLA events are internal")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.customer).status == .forbidden)
            let queue = try await app.call(.GET, "/api/v1/sla/cases?state=breached", token: f.agent)
            #expect(queue.list.first?["reference"] as? String == reference)
        }
    }

    @Test("a recomputation rewrites only the standings that changed", arguments: TestDatabase.all)
    func unchangedStandingsStay(database: TestDatabase) async throws {
        let clock = TestClock(Self.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.setUp(app, f)
            let reference = try await Self.openHighCase(app, f)
            let sql = app.db as! any SQLDatabase
            func standing() async throws -> (state: String, updated: Date) {
                let row = try await sql.raw("SELECT state, updated_at FROM case_sla").first()
                return (try row!.decode(column: "state", as: String.self), try row!.decode(column: "updated_at", as: Date.self))
            }
            let opened = try await standing()
            clock.advance(10 * 60)
            #expect(try await ServiceLevelSweep.recomputeOpenCases(services: app.casebook) == 1)
            let same = try await standing()
            #expect(same.state == "running" && same.updated == opened.updated, "nothing changed, so the row was left alone")
            clock.advance(40 * 60)
            #expect(try await ServiceLevelSweep.recomputeOpenCases(services: app.casebook) == 1)
            let warned = try await standing()
            #expect(warned.state == "warning" && warned.updated > opened.updated)
            let explanation = Self.metric(try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.agent), "first_response")["explanation"] as? String
            #expect(explanation?.contains("warning: 83% of the target used") == true, "\(explanation ?? "")")
        }
    }

    @Test("a sweep racing replies leaves every standing as a fresh computation finds it", arguments: TestDatabase.all)
    func sweepRacingReplies(database: TestDatabase) async throws {
        let clock = TestClock(Self.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.setUp(app, f)
            var references: [String] = []
            for _ in 0..<16 { references.append(try await Self.openHighCase(app, f)) }
            clock.advance(50 * 60)  // past the first-response warning share
            // Batches of two, so the sweep reads ahead many times while the replies land (on SQLite it must then
            // notice the other writes and read those batches again inside their write).
            async let swept = ServiceLevelSweep.recomputeOpenCases(services: app.casebook, batchSize: 2)
            for reference in references {
                let reply = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "On it."])
                #expect(reply.status == .created, "\(reply.text)")
            }
            #expect(try await swept >= 16)
            let sql = app.db as! any SQLDatabase
            let catalog = try await app.casebook.serviceLevels.current(on: sql)
            let ids = try await sql.raw("SELECT id FROM cases").all().map { try $0.decode(column: "id", as: UUID.self) }
            let fresh = await CaseClock.compute(try await CaseClockFacts.load(ids, on: sql, columns: .clockOnly), catalog: catalog, now: clock.now)
            for row in try await sql.raw("SELECT case_id, state FROM case_sla").all() {
                let id = try row.decode(column: "case_id", as: UUID.self)
                #expect(try row.decode(column: "state", as: String.self) == fresh[id]?.worstState.rawValue, "case \(id)")
            }
            #expect(fresh.values.allSatisfy { report in report.metrics.first { $0.metric == .firstResponse }?.state == .met },
                    "every case was answered")
        }
    }

    @Test("waiting on the customer pauses the clock; their answer resumes it; the pause is shown", arguments: TestDatabase.all)
    func pauseAndResume(database: TestDatabase) async throws {
        let clock = TestClock(Self.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.setUp(app, f)
            let reference = try await Self.openHighCase(app, f)
            clock.advance(30 * 60)
            let reply = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                           json: ["text": "Which port?", "status": "pending_customer"])
            #expect(reply.status == .created, "\(reply.text)")
            clock.advance(24 * 3600)  // Tuesday 09:30
            let answer = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Port 12"])
            #expect(answer.status == .created)
            clock.advance(3600)  // Tuesday 10:30
            let sla = try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.agent)
            #expect(Self.metric(sla, "first_response")["state"] as? String == "met")
            let resolution = Self.metric(sla, "resolution")
            #expect(resolution["used_minutes"] as? Double == 90, "09:00–09:30 Monday and 09:30–10:30 Tuesday")
            #expect(resolution["paused_minutes"] as? Double == 480, "Monday 09:30–17:00 and Tuesday 09:00–09:30")
            #expect((resolution["explanation"] as? String)?.contains("paused 8h while pending customer") == true)
            #expect(resolution["due_at"] as? String == "2026-11-24T16:00:00.000Z", "6h 30m left from Tuesday 10:30 is 17:00 in Madrid")
        }
    }

    @Test("changing a policy recomputes open cases from their timelines; a contract's formal policy wins", arguments: TestDatabase.all)
    func policyChangesAndContracts(database: TestDatabase) async throws {
        let clock = TestClock(Self.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let (calendar, policy) = try await Self.setUp(app, f)
            let reference = try await Self.openHighCase(app, f)
            clock.advance(3 * 3600)
            let stricter = try await app.call(.PATCH, "/api/v1/sla-policies/\(policy)", token: f.admin,
                                              json: ["targets": ["high": ["resolution_minutes": 120]]])
            #expect(stricter.status == .ok, "\(stricter.text)")
            #expect(await app.jobs.runDue() >= 1)
            let row = try await (app.db as! any SQLDatabase).select().column("state").from("case_sla").first()
            #expect(try row?.decode(column: "state", as: String.self) == "breached")

            let gold = try await app.call(.POST, "/api/v1/sla-policies", token: f.admin, json: [
                "name": "Gold", "kind": "formal", "calendar_id": calendar,
                "targets": ["high": ["first_response_minutes": 15, "resolution_minutes": 240]],
            ])
            let contract = try await app.call(.POST, "/api/v1/contracts", token: f.admin, json: [
                "organisation_id": f.organisationID, "name": "Acme gold 2026", "level": "Gold", "starts_on": "2026-01-01",
                "ends_on": "2026-12-31", "sla_policy_id": gold.json["id"] as! String,
            ])
            #expect(contract.status == .created, "\(contract.text)")
            #expect(contract.json["level"] as? String == "gold")
            let sla = try await app.call(.GET, "/api/v1/cases/\(reference)/sla", token: f.agent)
            #expect((sla.json["policy"] as? [String: Any])?["kind"] as? String == "formal")
            let informalOnly = try await app.call(.POST, "/api/v1/contracts", token: f.admin, json: [
                "organisation_id": f.organisationID, "name": "Wrong", "starts_on": "2026-01-01", "sla_policy_id": policy,
            ])
            #expect(informalOnly.status == .unprocessableEntity && informalOnly.isProblem)
            let backwards = try await app.call(.POST, "/api/v1/contracts", token: f.admin, json: [
                "organisation_id": f.organisationID, "name": "Backwards", "starts_on": "2026-05-01", "ends_on": "2026-04-01",
            ])
            #expect(backwards.status == .unprocessableEntity)
        }
    }

    @Test("bad calendars and policies are refused with a problem and change nothing; only admins define them", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (calendar, _) = try await Self.setUp(app, f)
            let bad: [[String: Any]] = [
                ["name": "A", "time_zone": "Mars/Olympus", "periods": Self.officeHours],
                ["name": "B", "time_zone": "UTC", "periods": [["weekday": "monday", "start": "22:00", "end": "06:00"],
                                                               ["weekday": "tuesday", "start": "05:00", "end": "09:00"]]],
                ["name": "C", "time_zone": "UTC", "periods": [["weekday": "someday", "start": "09:00", "end": "17:00"]]],
                ["name": "D", "time_zone": "UTC", "periods": [["weekday": "monday", "start": "9am", "end": "17:00"]]],
                ["name": "E", "time_zone": "UTC", "periods": []],
                ["name": "F", "time_zone": "UTC", "periods": Self.officeHours, "holidays": [["date": "2026-02-30", "name": "x"]]],
                ["name": "Madrid office", "time_zone": "UTC", "periods": Self.officeHours],
                ["name": "G", "time_zone": "UTC", "periods": Self.officeHours, "colour": "blue"],
            ]
            for body in bad {
                let refused = try await app.call(.POST, "/api/v1/calendars", token: f.admin, json: body)
                #expect(refused.isProblem && [409, 422, 400].contains(Int(refused.status.code)), "\(body["name"]!): \(refused.text)")
            }
            #expect(try await rowCount(app, "business_calendars") == 1)
            let badPolicies: [[String: Any]] = [
                ["name": "P1", "calendar_id": calendar, "targets": ["critical": ["resolution_minutes": 60]]],
                ["name": "P2", "calendar_id": calendar, "targets": ["high": ["resolution_minutes": 0]]],
                ["name": "P3", "calendar_id": UUID().uuidString, "targets": ["high": ["resolution_minutes": 60]]],
                ["name": "P4", "calendar_id": calendar, "targets": [String: Any]()],
                ["name": "P5", "calendar_id": calendar, "targets": ["high": ["resolution_minutes": 60]], "warn_at_percent": 0],
                ["name": "Standard", "calendar_id": calendar, "targets": ["high": ["resolution_minutes": 60]]],
            ]
            for body in badPolicies {
                let refused = try await app.call(.POST, "/api/v1/sla-policies", token: f.admin, json: body)
                #expect(refused.isProblem && [409, 422].contains(Int(refused.status.code)), "\(body["name"]!): \(refused.text)")
            }
            #expect(try await rowCount(app, "sla_policies") == 1)
            let agentTry = try await app.call(.POST, "/api/v1/calendars", token: f.agent,
                                              json: ["name": "Z", "time_zone": "UTC", "periods": Self.officeHours])
            #expect(agentTry.status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/calendars", token: f.agent).list.count == 1)
        }
    }

    @Test("holidays import from an .ics file, and the calendar then skips them", arguments: TestDatabase.all)
    func holidayImport(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (calendar, _) = try await Self.setUp(app, f)
            let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Navidad\r\nEND:VEVENT\r\n" +
                "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261208\r\nSUMMARY:Duplicate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            let imported = try await app.call(.POST, "/api/v1/calendars/\(calendar)/holidays/import", token: f.admin, raw: ics,
                                              headers: [("Content-Type", "text/calendar")])
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(imported.json["added"] as? Int == 1)
            let days = ((imported.json["calendar"] as? [String: Any])?["holidays"] as? [[String: Any]])?.compactMap { $0["date"] as? String }
            #expect(days == ["2026-12-08", "2026-12-25"])
            let junk = try await app.call(.POST, "/api/v1/calendars/\(calendar)/holidays/import", token: f.admin, raw: "hello",
                                          headers: [("Content-Type", "text/calendar")])
            #expect(junk.status == .unprocessableEntity && junk.isProblem)
        }
    }
}
