@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Retention rules and legal holds")
struct RetentionTests {
    @Test("a rule anonymises or deletes cases solved more than its months ago, a dry run only counts, legal holds and linked records keep cases, and bad rules or holds are refused by field",
          arguments: TestDatabase.all)
    func retention(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let a = try await f.openCase(app, subject: "Router A down", description: "Router A lost power")
            let b = try await f.openCase(app, subject: "Router B down", description: "Router B lost power")
            let c = try await f.openCase(app, subject: "Router C down", description: "Router C lost power")
            let open = try await f.openCase(app, subject: "Router E down", description: "Still broken")
            for reference in [a, b, c] { try await PrivacyTests.solve(app, reference, token: f.agent) }

            for (body, field) in [(["name": "x", "months": 0] as [String: Any], "months"), (["name": "x", "months": 12, "action": "shred"], "action"),
                                  (["name": "x", "months": 12, "organisation_id": UUID().uuidString], "organisation_id"), (["months": 12], "name")] {
                let refused = try await app.call(.POST, "/api/v1/retention-rules", token: f.admin, json: body)
                #expect(refused.status == .unprocessableEntity && refused.text.contains(field), "\(field): \(refused.text)")
            }
            #expect(try await app.call(.POST, "/api/v1/retention-rules", token: f.agent, json: ["name": "x", "months": 12]).status == .forbidden)
            let created = try await app.call(.POST, "/api/v1/retention-rules", token: f.admin,
                                             json: ["name": "Anonymise after a year", "months": 12, "action": "anonymise"])
            #expect(created.status == .created, "\(created.text)")
            let rule = try #require(created.json["id"] as? String)
            let early = try await app.call(.POST, "/api/v1/retention-rules/\(rule)/run", token: f.admin)
            #expect(early.json["dry_run"] as? Bool == true && early.json["cases"] as? Int == 0, "\(early.text)")

            clock.advance(400 * 86_400)
            for (body, field) in [(["reason": "x", "organisation_id": f.organisationID, "case_reference": b], "case_reference"),
                                  (["reason": "x"], "case_reference"), (["reason": "x", "case_reference": "CB-999999"], "case_reference"),
                                  (["case_reference": b], "reason")] {
                let refused = try await app.call(.POST, "/api/v1/legal-holds", token: f.admin, json: body)
                #expect(refused.status == .unprocessableEntity && refused.text.contains(field), "\(field): \(refused.text)")
            }
            let hold = try await app.call(.POST, "/api/v1/legal-holds", token: f.admin, json: ["case_reference": b, "reason": "Claim by the insurer"])
            #expect(hold.status == .created && hold.json["case_reference"] as? String == b, "\(hold.text)")

            let dry = try await app.call(.POST, "/api/v1/retention-rules/\(rule)/run", token: f.admin, json: ["dry_run": true])
            #expect(dry.json["cases"] as? Int == 2 && dry.json["held"] as? Int == 1 && (dry.json["sample"] as? [Int])?.count == 2, "\(dry.text)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(a)", token: f.agent).json["subject"] as? String == "Router A down", "a dry run changes nothing")

            let run = try await app.call(.POST, "/api/v1/retention-rules/\(rule)/run?dry_run=false", token: f.admin)
            #expect(run.json["dry_run"] as? Bool == false && run.json["cases"] as? Int == 2, "\(run.text)")
            let numberA = a.split(separator: "-").last.map(String.init) ?? ""
            #expect(try await app.call(.GET, "/api/v1/cases/\(a)", token: f.agent).json["subject"] as? String == "Case \(numberA) (anonymised)")
            let messages = try await app.call(.GET, "/api/v1/cases/\(a)/messages", token: f.agent).text
            #expect(!messages.contains("lost power") && messages.contains(CaseErasureRepository.removedText))
            #expect(try await app.call(.GET, "/api/v1/cases/\(b)", token: f.agent).json["subject"] as? String == "Router B down", "held")
            #expect(try await app.call(.GET, "/api/v1/cases/\(open)", token: f.agent).json["subject"] as? String == "Router E down", "still open")
            let again = try await app.call(.POST, "/api/v1/retention-rules/\(rule)/run?dry_run=false", token: f.admin)
            #expect(again.json["cases"] as? Int == 0, "anonymised cases are not due again")
            #expect(try await app.call(.GET, "/api/v1/retention-rules/\(rule)", token: f.admin).json["last_run_result"] as? String
                    == "Anonymised 0 case(s); 1 under legal hold.")

            // Deleting: cases an RCA report refers to are kept, the rest go with everything on them.
            let rca = try await app.call(.POST, "/api/v1/rca-reports", token: f.agent, json: ["title": "Router C outage", "case_reference": c])
            #expect(rca.status == .created, "\(rca.text)")
            let deleting = try await app.call(.POST, "/api/v1/retention-rules", token: f.admin,
                                              json: ["name": "Delete Acme's old cases", "months": 12, "action": "delete", "organisation_id": f.organisationID,
                                                     "active": false])
            let deleteRule = try #require(deleting.json["id"] as? String)
            let counted = try await app.call(.POST, "/api/v1/retention-rules/\(deleteRule)/run", token: f.admin)
            #expect(counted.json["cases"] as? Int == 1 && counted.json["held"] as? Int == 1 && counted.json["linked"] as? Int == 1, "\(counted.text)")
            try await ApplyRetention(services: app.casebook).runAll()
            #expect(try await app.call(.GET, "/api/v1/cases/\(a)", token: f.agent).status == .ok, "an inactive rule does not run at night")
            #expect(try await app.call(.PATCH, "/api/v1/retention-rules/\(deleteRule)", token: f.admin, json: ["active": true]).status == .ok)
            try await ApplyRetention(services: app.casebook).runAll()
            #expect(try await app.call(.GET, "/api/v1/cases/\(a)", token: f.agent).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/cases/\(c)", token: f.agent).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/cases/\(b)", token: f.agent).status == .ok)
            #expect(try await rowCount(app, "messages") > 0)

            let log = try await app.call(.GET, "/api/v1/audit-events?category=privacy", token: f.admin)
            #expect(log.list.contains { ($0["action"] as? String ?? "").contains("/legal-holds") })
            #expect(try await app.call(.DELETE, "/api/v1/legal-holds/\(hold.json["id"] as? String ?? "")", token: f.admin).status == .noContent)
            #expect(try await app.call(.DELETE, "/api/v1/retention-rules/\(rule)", token: f.admin).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/retention-rules/\(rule)", token: f.admin).status == .notFound)
        }
    }
}
