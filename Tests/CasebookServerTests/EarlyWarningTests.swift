@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Early warnings and proactive notices")
struct EarlyWarningTests {
    @Test("three organisations reporting one version raise one warning; a notice is previewed, then sent to everyone running it and recorded per organisation", arguments: TestDatabase.all)
    func warnings(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "GateOS"]).json["id"] as! String
            let version = try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "7.2"]).json["id"] as! String
            let third = try await app.call(.POST, "/api/v1/organisations", token: f.admin, json: ["name": "Initech"]).json["id"] as! String
            _ = try await app.call(.POST, "/api/v1/users", token: f.admin, json: ["email": "ian@initech.example", "name": "Ian", "role": "customer",
                                                                                 "organisation_id": third, "password": "a-good-password"])
            let ian = try await AdminOperations.issueToken(app, email: "ian@initech.example", name: "t")
            // A fourth organisation runs the version on an asset but has not reported anything.
            let fourth = try await app.call(.POST, "/api/v1/organisations", token: f.admin, json: ["name": "Umbrella"]).json["id"] as! String
            _ = try await app.call(.POST, "/api/v1/users", token: f.admin, json: ["email": "una@umbrella.example", "name": "Una", "role": "customer",
                                                                                 "organisation_id": fourth, "password": "a-good-password"])
            _ = try await app.call(.POST, "/api/v1/assets", token: f.agent, json: ["organisation_id": fourth, "name": "Edge gateway", "asset_type": "gateway",
                                                                                  "product_version_id": version])
            // Acme's account manager hears about the warning and the notice for Acme.
            let managerID = try #require(try await app.call(.GET, "/api/v1/users?role=account_manager", token: f.admin).list.first?["id"] as? String)
            _ = try await app.call(.PATCH, "/api/v1/organisations/\(f.organisationID)", token: f.admin, json: ["account_manager_id": managerID])
            for (token, number) in [(f.customer, 1), (f.outsider, 2)] {
                _ = try await app.call(.POST, "/api/v1/cases", token: token, json: ["subject": "VPN drops \(number)", "description": "Since 7.2", "product_version_id": version])
            }
            #expect(try await EarlyWarnings(services: app.casebook).detect() == 0, "two organisations are not yet a pattern")
            _ = try await app.call(.POST, "/api/v1/cases", token: ian, json: ["subject": "Tunnel flaps", "description": "7.2 again", "product_version_id": version])
            #expect(try await EarlyWarnings(services: app.casebook).detect() == 1)
            #expect(try await EarlyWarnings(services: app.casebook).detect() == 0, "once per window")
            let warnings = try await app.call(.GET, "/api/v1/early-warnings", token: f.manager).list
            #expect(warnings.count == 1 && warnings[0]["version"] as? String == "GateOS 7.2" && warnings[0]["organisations"] as? Int == 3)
            let told = try await (app.db as! any SQLDatabase).raw("SELECT subject FROM outbound_messages WHERE kind = 'notification'").all()
            #expect(try told.contains { try $0.decode(column: "subject", as: String.self).hasPrefix("Early warning: 3 customers") })
            let toManager = try await (app.db as! any SQLDatabase).raw(
                "SELECT subject, recipients FROM outbound_messages WHERE kind = 'notification' AND subject LIKE 'Early warning for your accounts%'").all()
            let managerRecipients = try toManager.first?.decode(column: "recipients", as: String.self) ?? ""
            #expect(toManager.count == 1 && managerRecipients.contains("am@cb.example"))

            let preview = try await app.call(.POST, "/api/v1/notices/preview", token: f.agent, json: [
                "product_version_id": version, "subject": "Known issue in GateOS 7.2", "body": "Tunnels may drop; upgrade to 7.2.1 when it ships.",
            ])
            #expect(preview.status == .created, "\(preview.text)")
            let emails = Set((preview.json["recipients"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String })
            #expect(emails == ["carla@acme.example", "olga@globex.example", "ian@initech.example", "una@umbrella.example"])
            #expect(try await rowCount(app, "organisation_events") == 0, "a preview sends nothing")
            let id = preview.json["id"] as! String
            let sent = try await app.call(.POST, "/api/v1/notices/\(id)/send", token: f.agent)
            #expect(sent.status == .ok && sent.json["sent_at"] != nil)
            #expect(try await (app.db as! any SQLDatabase).raw("SELECT id FROM outbound_messages WHERE kind = 'notice'").all().count == 4)
            let noticeToManager = try await (app.db as! any SQLDatabase).raw(
                "SELECT recipients FROM outbound_messages WHERE subject LIKE 'Proactive notice sent to your accounts%'").all()
            let noticeRecipients = try noticeToManager.first?.decode(column: "recipients", as: String.self) ?? ""
            #expect(noticeToManager.count == 1 && noticeRecipients.contains("am@cb.example"))
            let events = try await app.call(.GET, "/api/v1/organisations/\(fourth)/timeline", token: f.agent).list
            #expect(events.first?["kind"] as? String == "proactive_notice" && events.first?["text"] as? String == "Known issue in GateOS 7.2")
            #expect(try await app.call(.POST, "/api/v1/notices/\(id)/send", token: f.agent).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/notices/preview", token: f.customer, json: ["product_version_id": version, "subject": "x", "body": "y"]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/notices/preview", token: f.agent, json: ["product_version_id": UUID().uuidString, "subject": "x", "body": "y"]).status == .unprocessableEntity)
        }
    }
}
