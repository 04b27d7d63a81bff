@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Problem records and similar cases")
struct ProblemAPITests {
    @Test("similar cases are found with a score; a problem links them; customers choose workaround or fix; the fix release notifies and offers closure on every case", arguments: TestDatabase.all)
    func problems(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "ScanPro"])
            let productID = product.json["id"] as! String
            let v41 = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: f.admin, json: ["name": "4.1"]).json["id"] as! String
            let v42 = try await app.call(.POST, "/api/v1/products/\(productID)/versions", token: f.admin, json: ["name": "4.2"]).json["id"] as! String
            func open(_ token: String, _ subject: String, _ description: String) async throws -> String {
                let created = try await app.call(.POST, "/api/v1/cases", token: token,
                                                 json: ["subject": subject, "description": description, "product_version_id": v41])
                guard created.status == .created else { throw FixtureError(message: created.text) }
                return created.json["reference"] as! String
            }
            let first = try await open(f.customer, "Scanner crashes on PDF export", "The scanner app crashes every time I export to PDF.")
            let second = try await open(f.outsider, "PDF export crashes the scanner", "Exporting scans to PDF makes the app crash.")
            let unrelated = try await f.openCase(app, subject: "Password reset", description: "Please reset my password")

            let similar = try await app.call(.GET, "/api/v1/cases/\(second)/similar", token: f.agent).list
            #expect(similar.first?["reference"] as? String == first, "\(similar)")
            #expect((similar.first?["score"] as? Double ?? 0) >= 0.6 && (similar.first?["reasons"] as? [String])?.contains("same version") == true)
            #expect(!similar.contains { $0["reference"] as? String == unrelated })
            #expect(try await app.call(.GET, "/api/v1/cases/\(second)/similar", token: f.outsider).status == .forbidden)

            let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: [
                "title": "PDF export crashes on 4.1", "root_cause": "A null font table in the PDF writer", "status": "known_error",
                "workaround": "Export to TIFF, then print to PDF.", "product_id": productID, "cases": [first, second],
            ])
            #expect(problem.status == .created, "\(problem.text)")
            let id = problem.json["id"] as! String
            #expect((problem.json["cases"] as? [[String: Any]])?.count == 2)
            #expect(try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "Other", "cases": [first]]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "No cause", "status": "known_error"]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/problems", token: f.customer, json: ["title": "x"]).status == .forbidden)

            let told = try await app.call(.GET, "/api/v1/cases/\(first)/problem", token: f.customer)
            #expect(told.json["workaround"] as? String == "Export to TIFF, then print to PDF." && told.json["root_cause"] == nil)
            #expect(try await app.call(.GET, "/api/v1/cases/\(first)/problem", token: f.outsider).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/problem-choice", token: f.customer, json: ["choice": "wait_for_fix"]).json["choice"] as? String == "wait_for_fix")
            #expect(try await app.call(.POST, "/api/v1/cases/\(second)/problem-choice", token: f.outsider, json: ["choice": "workaround"]).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/cases/\(second)/problem-choice", token: f.outsider, json: ["choice": "later"]).status.code == 400)
            let timeline = try await app.call(.GET, "/api/v1/cases/\(first)/timeline", token: f.customer).list
            #expect(timeline.contains { $0["kind"] as? String == "problem_choice" && $0["new_value"] as? String == "wait_for_fix" })

            #expect(try await app.call(.POST, "/api/v1/problems/\(id)/release-fix", token: f.agent, json: [:]).status == .unprocessableEntity, "which version?")
            let released = try await app.call(.POST, "/api/v1/problems/\(id)/release-fix", token: f.agent, json: ["fix_version_id": v42])
            #expect(released.status == .ok, "\(released.text)")
            #expect(Set(released.json["notified"] as? [String] ?? []) == [first, second])
            for (reference, token) in [(first, f.customer), (second, f.outsider)] {
                let shown = try await app.call(.GET, "/api/v1/cases/\(reference)", token: token)
                #expect(shown.json["status"] as? String == "solved")
                let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: token).list
                #expect(messages.contains { ($0["text"] as? String)?.contains("is in version 4.2") == true })
            }
            #expect((try await app.call(.POST, "/api/v1/problems/\(id)/release-fix", token: f.agent, json: [:])).json["notified"] as? [String] == [], "once per case")
            // A second Acme case on the same problem makes it a repeat problem for Acme.
            let third = try await open(f.customer, "Crash on PDF export again", "PDF export crashes the scanner again")
            _ = try await app.call(.POST, "/api/v1/problems/\(id)/cases", token: f.agent, json: ["reference": third])
            let ranked = try await app.call(.GET, "/api/v1/accounts/ranking?by=repeat_problems", token: f.manager).list
            #expect(ranked.first?["name"] as? String == "Acme" && ranked.first?["repeat_problems"] as? Int == 1 && ranked.first?["problem_cases"] as? Int == 2)
            let perSeat = try await app.call(.GET, "/api/v1/accounts/ranking", token: f.manager).list
            #expect(perSeat.first?["name"] as? String == "Acme" && perSeat.first?["cases"] as? Int == 3)
            #expect(try await app.call(.GET, "/api/v1/accounts/ranking?by=mood", token: f.manager).status == .badRequest)
            let account = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.manager)
            #expect((account.json["problems"] as? [[String: Any]])?.first?["cases"] as? Int == 2)
            let after = try await app.call(.GET, "/api/v1/problems/\(id)", token: f.agent)
            #expect(after.json["status"] as? String == "fix_released" && after.json["fix_version"] as? String == "4.2")
        }
    }
}
