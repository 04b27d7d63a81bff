@testable import CasebookServer
import CasebookMail
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Root-cause-analysis reports")
struct RCAReportTests {
    @Test("internal and customer versions edited apart; a second person reviews; sent, kept and on the case; printable", arguments: TestDatabase.all)
    func workflow(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let created = try await app.call(.POST, "/api/v1/rca-reports", token: f.agent, json: ["title": "Printer outage 23 November", "case_reference": reference])
            #expect(created.status == .created, "\(created.text)")
            let id = created.json["id"] as! String
            let prefilled = (created.json["internal"] as? [String: Any])?["timeline"] as? [[String: Any]] ?? []
            #expect(prefilled.first?["text"] as? String == "Case \(reference) opened")

            let internalVersion: [String: Any] = [
                "summary": "Tray 2 firmware mis-read paper size.", "root_cause": "Firmware 2.3 regression in the size sensor driver.",
                "contributing_factors": ["No canary printer", "Alert threshold too high"],
                "action_items": [["text": "Roll back firmware", "owner_id": f.agentID, "due_on": "2026-11-30"]],
                "timeline": [["at": "2026-11-23T08:00:00Z", "text": "First jam reported"]],
            ]
            let customerVersion: [String: Any] = [
                "summary": "Printing from tray 2 failed for two hours.", "root_cause": "A printer software update misread the paper size.",
                "action_items": [["text": "We have returned the printers to the previous software", "due_on": "2026-11-30"]],
            ]
            let edited = try await app.call(.PATCH, "/api/v1/rca-reports/\(id)", token: f.agent, json: ["internal": internalVersion, "customer": customerVersion])
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try await app.call(.PATCH, "/api/v1/rca-reports/\(id)", token: f.agent,
                                       json: ["internal": ["action_items": [["text": "x", "owner_id": f.customerID]]]]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/rca-reports/\(id)/send", token: f.agent).status == .conflict, "not approved yet")
            #expect(try await app.call(.POST, "/api/v1/rca-reports/\(id)/submit", token: f.agent).json["customer_status"] as? String == "in_review")
            #expect(try await app.call(.POST, "/api/v1/rca-reports/\(id)/approve", token: f.agent).status == .conflict, "not by its own editor")
            let approved = try await app.call(.POST, "/api/v1/rca-reports/\(id)/approve", token: f.admin)
            #expect(approved.json["customer_status"] as? String == "approved")
            let sent = try await app.call(.POST, "/api/v1/rca-reports/\(id)/send", token: f.agent)
            #expect(sent.json["customer_status"] as? String == "sent" && sent.json["sent_to"] as? [String] == ["carla@acme.example"])
            #expect(try await app.call(.PATCH, "/api/v1/rca-reports/\(id)", token: f.agent, json: ["customer": customerVersion]).status == .conflict, "kept as sent")

            let mail = try await (app.db as! any SQLDatabase).raw("SELECT raw FROM outbound_messages WHERE kind = 'rca'").all()
            #expect(mail.count == 1)
            let kept = try await app.call(.GET, "/api/v1/cases/\(reference)/rca", token: f.customer).list
            #expect((kept.first?["text"] as? String)?.contains("A printer software update misread the paper size.") == true)
            #expect((kept.first?["text"] as? String)?.contains("Firmware 2.3") == false, "the internal version never reaches the customer")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list.contains { $0["kind"] as? String == "rca_sent" })
            #expect(try await app.call(.GET, "/api/v1/rca-reports/\(id)", token: f.customer).status == .forbidden)

            let printed = try await app.call(.GET, "/api/v1/rca-reports/\(id)/print?version=internal", token: f.agent)
            #expect(printed.status == .ok && printed.text.contains("Firmware 2.3 regression") && printed.text.contains("<td>agent</td>"))
            #expect(try await app.call(.GET, "/api/v1/rca-reports/\(id)/print?version=customer", token: f.agent).text.contains("Firmware 2.3") == false)
            #expect(try await app.call(.POST, "/api/v1/rca-reports", token: f.agent, json: ["title": "Both", "case_reference": reference, "problem_id": UUID().uuidString]).status == .unprocessableEntity)
        }
    }

    @Test("a Spanish customer in Madrid gets the report's headings in Spanish and its times in their zone; the print page speaks the reader's",
          arguments: TestDatabase.all)
    func inTheReadersLanguage(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es", "time_zone": "Europe/Madrid"]).status == .ok)
            let reference = try await f.openCase(app)
            let id = try #require(try await app.call(.POST, "/api/v1/rca-reports", token: f.agent,
                                                     json: ["title": "Corte de impresión", "case_reference": reference]).json["id"] as? String)
            let customer: [String: Any] = [
                "summary": "La impresión desde la bandeja 2 falló durante dos horas.", "root_cause": "Una actualización leyó mal el tamaño del papel.",
                "timeline": [["at": "2026-11-23T08:00:00Z", "text": "Primer atasco"]],
                "action_items": [["text": "Volvimos al software anterior", "due_on": "2026-11-30"]]]
            #expect(try await app.call(.PATCH, "/api/v1/rca-reports/\(id)", token: f.agent, json: ["customer": customer]).status == .ok)
            _ = try await app.call(.POST, "/api/v1/rca-reports/\(id)/submit", token: f.agent)
            _ = try await app.call(.POST, "/api/v1/rca-reports/\(id)/approve", token: f.admin)
            #expect(try await app.call(.POST, "/api/v1/rca-reports/\(id)/send", token: f.agent).status == .ok)

            let raw = try #require(try await (app.db as! any SQLDatabase).raw("SELECT raw FROM outbound_messages WHERE kind = 'rca'").first()?
                .decode(column: "raw", as: String.self))
            let mail = MailParser.parse(Data(raw.utf8))
            #expect(mail.subject == "[\(reference)] Informe de causa raíz: Corte de impresión", "\(mail.subject)")
            #expect(mail.text.contains("Resumen") && mail.text.contains("Cronología (Europe/Madrid)") && mail.text.contains("- 2026-11-23 09:00: Primer atasco")
                    && mail.text.contains("Causa raíz") && mail.text.contains("(antes del 2026-11-30)"), "\(mail.text)")

            let german = try await app.call(.GET, "/api/v1/rca-reports/\(id)/print?version=customer&language=de", token: f.agent)
            #expect(german.text.contains("<html lang=\"de\">") && german.text.contains("Zeitverlauf (UTC)") && german.text.contains("Grundursache"), "\(german.text)")
            #expect(try await app.call(.GET, "/api/v1/rca-reports/\(id)/print?language=tlh", token: f.agent).status == .badRequest)
        }
    }
}
