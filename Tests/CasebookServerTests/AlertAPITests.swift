@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Monitoring alerts over the API")
struct AlertAPITests {
    static func alertmanager(_ alerts: [(status: String, instance: String)], name: String = "DiskFull") -> [String: Any] {
        [
            "version": "4", "groupKey": "{}:{alertname=\"\(name)\"}", "status": alerts.first?.status ?? "firing", "receiver": "casebook",
            "groupLabels": ["alertname": name], "commonLabels": ["alertname": name, "severity": "critical"], "commonAnnotations": [:],
            "externalURL": "http://alertmanager:9093", "truncatedAlerts": 0,
            "alerts": alerts.map { alert -> [String: Any] in
                ["status": alert.status, "labels": ["alertname": name, "severity": "critical", "instance": alert.instance],
                 "annotations": ["summary": "Disk on \(alert.instance) is 97% full"], "startsAt": "2026-11-23T07:00:00.123456789Z",
                 "endsAt": alert.status == "resolved" ? "2026-11-23T07:30:00Z" : "0001-01-01T00:00:00Z",
                 "generatorURL": "http://prometheus/graph", "fingerprint": "fp-\(name)-\(alert.instance)"]
            },
        ]
    }

    static func messages(_ app: Application, _ reference: String, _ f: Fixture) async throws -> [String] {
        try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.compactMap { $0["text"] as? String }
    }

    @Test("grouped alerts open one incident per fingerprint, repeats are counted, resolved adds a note, firing again reopens", arguments: TestDatabase.all)
    func lifecycle(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let asset = try await AssetAPITests.asset(app, f, extra: ["host": "db1"])
            let first = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent,
                                           json: Self.alertmanager([("firing", "db1:9100"), ("firing", "db2:9100")]))
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["opened"] as? Int == 2 && first.json["received"] as? Int == 2)
            let cases = first.json["cases"] as! [String]
            let linked = try await app.call(.GET, "/api/v1/assets/\(asset["id"] as! String)", token: f.agent)
            let db1Case = try #require((linked.json["cases"] as? [[String: Any]])?.first?["reference"] as? String)
            let incident = try await app.call(.GET, "/api/v1/cases/\(db1Case)", token: f.agent)
            #expect(incident.json["priority"] as? String == "urgent" && incident.json["organisation_id"] as? String == f.organisationID)
            #expect((incident.json["subject"] as? String)?.contains("DiskFull") == true && incident.json["channel"] as? String == "monitoring")

            for _ in 0..<3 {
                clock.advance(60)
                let repeated = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent,
                                                  json: Self.alertmanager([("firing", "db1:9100"), ("firing", "db2:9100")]))
                #expect(repeated.json["repeated"] as? Int == 2 && repeated.json["opened"] as? Int == 0)
                #expect(Set(repeated.json["cases"] as! [String]) == Set(cases))
            }
            #expect(try await rowCount(app, "cases") == 2)
            let alerts = try await app.call(.GET, "/api/v1/alerts", token: f.agent).list
            #expect(alerts.count == 2 && alerts.allSatisfy { $0["received"] as? Int == 4 && $0["incidents"] as? Int == 1 })

            clock.advance(600)
            let resolved = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: Self.alertmanager([("resolved", "db1:9100")]))
            #expect(resolved.json["resolved"] as? Int == 1)
            #expect(try await Self.messages(app, db1Case, f).contains { $0.hasPrefix("Alert resolved") })
            #expect(try await app.call(.GET, "/api/v1/cases/\(db1Case)", token: f.agent).json["status"] as? String != "solved",
                    "resolving incidents automatically is off by default")

            // The engineer solves it; the alert comes back later: the same case reopens.
            let version = try await app.call(.GET, "/api/v1/cases/\(db1Case)", token: f.agent).json["version"] as! Int
            #expect(try await app.call(.PATCH, "/api/v1/cases/\(db1Case)", token: f.agent, json: ["status": "solved", "version": version]).status == .ok)
            clock.advance(7_200)
            let again = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: Self.alertmanager([("firing", "db1:9100")]))
            #expect(again.json["reopened"] as? Int == 1 && again.json["opened"] as? Int == 0)
            #expect(try await app.call(.GET, "/api/v1/cases/\(db1Case)", token: f.agent).json["status"] as? String == "open")
            #expect(try await rowCount(app, "cases") == 2)

            let account = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.manager)
            #expect(account.json["avoided_outages"] as? Int == 1, "monitoring saw it before any customer did")
        }
    }

    @Test("a resolved alert solves its incident when configured; a flapping alert is damped, then settles", arguments: TestDatabase.all)
    func flapping(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock, configure: { $0.equipment.alertsResolveIncidents = true }) { app in
            let f = try await Fixture.make(app)
            let opened = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: Self.alertmanager([("firing", "web1")], name: "HighLatency"))
            let reference = try #require((opened.json["cases"] as? [String])?.first)
            clock.advance(60)
            _ = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: Self.alertmanager([("resolved", "web1")], name: "HighLatency"))
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["status"] as? String == "solved")

            // Firing, resolved, firing, resolved… within minutes: flapping from the fourth change.
            var flappingNotes = 0
            for (index, status) in ["firing", "resolved", "firing", "resolved", "firing", "resolved"].enumerated() {
                clock.advance(120)
                let answer = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: Self.alertmanager([(status, "web1")], name: "HighLatency"))
                #expect(answer.status == .ok)
                if index >= 2 { #expect(answer.json["flapping"] as? Int == 1, "change \(index + 3)") }
            }
            let texts = try await Self.messages(app, reference, f)
            flappingNotes = texts.filter { $0.contains("is flapping") }.count
            #expect(flappingNotes == 1, "one note when flapping starts, none per change")
            #expect(texts.filter { $0.hasPrefix("Alert fired again") }.count == 2, "the changes up to the one that started flapping are noted")
            #expect(texts.filter { $0.hasPrefix("Alert resolved") }.count == 2, "the first two resolutions; none while flapping")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["status"] as? String == "open",
                    "a flapping alert is not resolved automatically")
            #expect(try await app.call(.GET, "/api/v1/alerts?flapping=true", token: f.agent).list.count == 1)

            // Quiet for two hours: it settles resolved, and the incident is solved.
            clock.advance(7_200)
            #expect(try await AlertSettling(services: app.casebook).run() == 1)
            #expect(try await app.call(.GET, "/api/v1/alerts?flapping=true", token: f.agent).list.isEmpty)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["status"] as? String == "solved")
            #expect(try await Self.messages(app, reference, f).contains { $0.contains("stopped flapping and settled resolved") })
        }
    }

    @Test("the generic webhook links alerts to assets by serial; bad payloads get a 4xx and create nothing", arguments: TestDatabase.all)
    func genericAndBadPayloads(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let asset = try await AssetAPITests.asset(app, f, serial: "UPS-77")
            let answer = try await app.call(.POST, "/api/v1/alerts/webhook", token: f.agent,
                                            json: ["title": "UPS on battery", "source": "nut", "status": "problem", "severity": "major", "asset": "UPS-77"])
            #expect(answer.status == .ok && answer.json["opened"] as? Int == 1, "\(answer.text)")
            let reference = try #require((answer.json["cases"] as? [String])?.first)
            let linked = try await app.call(.GET, "/api/v1/assets/\(asset["id"] as! String)", token: f.agent)
            #expect((linked.json["cases"] as? [[String: Any]])?.first?["reference"] as? String == reference)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["priority"] as? String == "high")
            let ok = try await app.call(.POST, "/api/v1/alerts/webhook", token: f.agent,
                                        json: ["alerts": [["title": "UPS on battery", "source": "nut", "status": "ok", "asset": "UPS-77"]]])
            #expect(ok.json["resolved"] as? Int == 1)

            let cases = try await rowCount(app, "cases")
            let alerts = try await rowCount(app, "monitoring_alerts")
            for raw in ["not json", "[]", #"{"version":"3","alerts":[{"status":"firing","labels":{"a":"b"}}]}"#, #"{"version":"4","alerts":[]}"#,
                        #"{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"ok"}},{"status":"exploding","labels":{"a":"b"}}]}"#] {
                let refused = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, raw: raw)
                #expect((400..<500).contains(Int(refused.status.code)) && refused.isProblem, "\(raw) → \(refused.status)")
            }
            for raw in [#"{"status":"firing"}"#, #"{"title":"x","status":"sideways"}"#, #"{"alerts":[{"title":"ok"},{"title":7}]}"#, ""] {
                let refused = try await app.call(.POST, "/api/v1/alerts/webhook", token: f.agent, raw: raw)
                #expect((400..<500).contains(Int(refused.status.code)) && refused.isProblem, "\(raw) → \(refused.status)")
            }
            #expect(try await rowCount(app, "cases") == cases, "a refused delivery applies nothing")
            #expect(try await rowCount(app, "monitoring_alerts") == alerts)
            #expect(try await app.call(.POST, "/api/v1/alerts/webhook", token: f.customer, json: ["title": "x"]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/alerts/webhook", json: ["title": "x"]).status == .unauthorized)
        }
    }
}
