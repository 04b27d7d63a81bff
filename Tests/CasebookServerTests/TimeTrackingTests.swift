@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Time tracking")
struct TimeTrackingTests {
    @Test("staff log minutes with a reply or note or on their own; the case sums them; the report totals them by organisation, contract and agent, as JSON or CSV; bad minutes are refused by field",
          arguments: TestDatabase.all)
    func timeTracking(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let acme = try await f.openCase(app, subject: "Router down")
            let globex = try #require(try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Globex VPN", "description": "down"])
                .json["reference"] as? String)
            #expect(try await app.call(.POST, "/api/v1/contracts", token: f.admin, json: [
                "organisation_id": f.organisationID, "name": "Acme Gold", "level": "gold", "starts_on": "2026-01-01"]).status == .created)

            #expect(try await app.call(.POST, "/api/v1/cases/\(acme)/messages", token: f.agent, json: ["text": "Rebooted it", "minutes": 20]).status == .created)
            #expect(try await app.call(.POST, "/api/v1/cases/\(acme)/messages", token: f.agent,
                                       json: ["text": "Checked logs", "visibility": "internal", "minutes": 15]).status == .created)
            let logged = try await app.call(.POST, "/api/v1/cases/\(acme)/time", token: f.agent, json: ["minutes": 45, "note": "Site visit"])
            #expect(logged.status == .created && logged.json["minutes"] as? Int == 45, "\(logged.text)")
            #expect(try await app.call(.POST, "/api/v1/cases/\(globex)/time", token: f.admin, json: ["minutes": 30]).status == .created)

            for (body, field) in [(["minutes": 0] as [String: Any], "minutes"), (["minutes": 1441], "minutes"), (["minutes": -5], "minutes"),
                                  (["minutes": 10, "note": String(repeating: "x", count: 501)], "note")] {
                let refused = try await app.call(.POST, "/api/v1/cases/\(acme)/time", token: f.agent, json: body)
                #expect(refused.status == .unprocessableEntity && refused.text.contains(field), "\(body): \(refused.text)")
            }
            let tooLong = try await app.call(.POST, "/api/v1/cases/\(acme)/messages", token: f.agent, json: ["text": "x", "minutes": 5000])
            #expect(tooLong.status == .unprocessableEntity && tooLong.text.contains("minutes"))
            let byCustomer = try await app.call(.POST, "/api/v1/cases/\(acme)/messages", token: f.customer, json: ["text": "thanks", "minutes": 5])
            #expect(byCustomer.status == .unprocessableEntity, "customers do not log time")
            #expect(try await app.call(.POST, "/api/v1/cases/\(acme)/time", token: f.customer, json: ["minutes": 5]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(acme)/time", token: f.manager, json: ["minutes": 5]).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/cases/\(acme)/time", token: f.customer).status == .forbidden)

            let time = try await app.call(.GET, "/api/v1/cases/\(acme)/time", token: f.agent)
            #expect(time.json["total_minutes"] as? Int == 80 && (time.json["entries"] as? [Any])?.count == 3, "\(time.text)")
            let caseID = try #require(UUID(uuidString: try await app.call(.GET, "/api/v1/cases/\(acme)", token: f.agent).json["id"] as? String ?? ""))
            #expect(try await TimeEntryRepository.total(of: caseID, on: app.db as! any SQLDatabase) == 80, "the case page's total")

            let byOrganisation = try await app.call(.GET, "/api/v1/time-report", token: f.manager)
            let rows = byOrganisation.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["name"] as? String ?? "" } == ["Acme", "Globex"] && rows.first?["minutes"] as? Int == 80, "\(byOrganisation.text)")
            #expect(byOrganisation.json["total_minutes"] as? Int == 110)
            let byContract = try await app.call(.GET, "/api/v1/time-report?by=contract", token: f.manager)
            #expect((byContract.json["rows"] as? [[String: Any]] ?? []).map { $0["name"] as? String ?? "" } == ["Acme Gold", "(none)"])
            let byAgent = try await app.call(.GET, "/api/v1/time-report?by=agent", token: f.admin)
            #expect((byAgent.json["rows"] as? [[String: Any]] ?? []).first?["minutes"] as? Int == 80)
            let csv = try await app.call(.GET, "/api/v1/time-report?format=csv", token: f.manager)
            #expect(csv.text.hasPrefix("organisation,minutes,hours,cases\r\nAcme,80,1.33,1\r\n"), "\(csv.text)")
            #expect(try await app.call(.GET, "/api/v1/time-report?by=planet", token: f.manager).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/time-report?from=2026-13-01", token: f.manager).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/time-report", token: f.customer).status == .forbidden)
        }
    }
}
