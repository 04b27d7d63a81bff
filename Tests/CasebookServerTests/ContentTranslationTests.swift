@testable import CasebookServer
import Foundation
import Testing
import SQLKit
import Vapor

@Suite("Admin-written content in the customer's language")
struct ContentTranslationTests {
    /// A Spanish-speaking customer (Carla), the Printing category with its intake flow, and a problem with a workaround
    /// linked to one of Carla's cases.
    static func setUp(_ app: Application, _ f: Fixture) async throws -> (category: String, problem: String, reference: String) {
        #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es"]).status == .ok)
        let category = try #require(try await app.call(.POST, "/api/v1/categories", token: f.admin,
                                                       json: ["name": "Printing", "description": "Printers and scanners"]).json["id"] as? String)
        let flow = try await app.call(.PUT, "/api/v1/categories/\(category)/intake", token: f.admin, json: ["questions": IntakeAPITests.questions])
        #expect(flow.status == .created, "\(flow.text)")
        let reference = try await f.openCase(app)
        let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: [
            "title": "Spooler stalls", "status": "known_error", "root_cause": "A stuck job", "workaround": "Restart the print spooler.", "cases": [reference]])
        #expect(problem.status == .created, "\(problem.text)")
        return (category, try #require(problem.json["id"] as? String), reference)
    }

    @Test("admins translate categories, intake questions and workarounds; the portal shows them, marks what is untranslated, and the agent is told",
          arguments: TestDatabase.all)
    func translated(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (category, problem, reference) = try await Self.setUp(app, f)

            let todo = try await app.call(.GET, "/api/v1/translations?language=es&state=missing", token: f.admin).list
            let fields = Set(todo.filter { $0["item_id"] as? String == category }.compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["name", "description", "error_code.label", "error_code.why", "error_code.option.0", "tried.label"]), "\(fields)")
            #expect(todo.contains { $0["kind"] as? String == "problem" && $0["source"] as? String == "Restart the print spooler." })

            func put(_ kind: String, _ item: String, _ field: String, _ text: String, language: String = "es", token: String? = nil) async throws -> APIResponse {
                try await app.call(.PUT, "/api/v1/translations/\(kind)/\(item)/\(field)/\(language)", token: token ?? f.admin, json: ["text": text])
            }
            let saved = try await put("category", category, "name", "  Impresión ")
            #expect(saved.status == .ok && saved.json["text"] as? String == "Impresión" && saved.json["state"] as? String == "current", "\(saved.text)")
            for (field, text) in [("error_code.label", "Código de error"), ("error_code.option.0", "E01 (atasco)"), ("shows_error.label", "¿Muestra un error?")] {
                #expect(try await put("intake", category, field, text).status == .ok)
            }
            #expect(try await put("problem", problem, "workaround", "Reinicia la cola de impresión.").status == .ok)
            #expect(try await put("problem", problem, "title", "La cola de impresión se detiene").status == .ok)

            // Bad input: refused, naming what is wrong, and nothing stored.
            #expect(try await put("category", category, "name", "   ").status == .unprocessableEntity)
            #expect(try await put("category", category, "name", String(repeating: "x", count: 10_001)).status == .unprocessableEntity)
            let content = try await put("category", category, "name", "Printing", language: "en")
            #expect(content.status == .unprocessableEntity && content.text.contains("language"), "\(content.text)")
            #expect(try await put("category", category, "colour", "Rojo").status == .notFound)
            #expect(try await put("category", UUID().uuidString, "name", "Nada").status == .notFound)
            #expect(try await put("planet", category, "name", "Nada").status == .unprocessableEntity)
            #expect(try await put("category", category, "name", "Impresoras", token: f.agent).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/translations", token: f.customer).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/translations?state=lost", token: f.admin).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/translations?language=en", token: f.admin).status == .unprocessableEntity)
            let slashed = try await app.call(.PUT, "/api/v1/translations/intake/\(category)/error_code%2Flabel/es", token: f.admin, json: ["text": "x"])
            #expect(slashed.status == .notFound && slashed.isProblem, "a field name with a slash names no text: \(slashed.status)")
            #expect(try await app.call(.GET, "/api/v1/translations?kind=planet", token: f.admin).status == .unprocessableEntity)

            // The Spanish portal: translated where a translation exists, the original marked as English elsewhere.
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let categories = try await carla.get(app, "/portal/new")
            #expect(categories.text.contains("<strong>Impresión</strong>") && categories.text.contains(#"lang="en">Printers and scanners"#), "\(categories.text)")
            let form = try await carla.get(app, "/portal/new/\(category)")
            #expect(form.text.contains("<span>Código de error</span>") && form.text.contains(#"value="E01" > <span>E01 (atasco)</span>"#)
                    && form.text.contains(#"<span lang="en">E02</span>"#) && form.text.contains(#"<span lang="en">Each code names a part.</span>"#), "\(form.text)")
            #expect(form.text.contains("¿Muestra un error?"), "a branch names the earlier question in Spanish")
            let casePage = try await carla.get(app, "/portal/cases/\(reference)")
            #expect(casePage.text.contains("Reinicia la cola de impresión.") && casePage.text.contains("<span>La cola de impresión se detiene</span>"),
                    "the workaround and the problem's title in Spanish")

            // The fix ships: Carla is told in Spanish, naming the problem as translated; Olga (English) in English.
            let product = try #require(try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "PrintOS"]).json["id"] as? String)
            let version = try #require(try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "2.1"]).json["id"] as? String)
            let olgaCase = try #require(try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Spooler", "description": "Stalls"]).json["reference"] as? String)
            let linked = try await app.call(.POST, "/api/v1/problems/\(problem)/cases", token: f.agent, json: ["reference": olgaCase])
            #expect(linked.status == .ok || linked.status == .created, "\(linked.text)")
            let released = try await app.call(.POST, "/api/v1/problems/\(problem)/release-fix", token: f.agent, json: ["fix_version_id": version])
            #expect(released.status == .ok, "\(released.text)")
            let carlaReads = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list.compactMap { $0["text"] as? String }
            #expect(carlaReads.contains { $0.hasPrefix("La solución definitiva para este problema (La cola de impresión se detiene) está en la versión 2.1.") },
                    "\(carlaReads)")
            let olgaReads = try await app.call(.GET, "/api/v1/cases/\(olgaCase)/messages", token: f.outsider).list.compactMap { $0["text"] as? String }
            #expect(olgaReads.contains { $0.hasPrefix("The permanent fix for this problem (Spooler stalls)") }, "\(olgaReads)")

            let refused = try await carla.post(app, "/portal/new/\(category)", ["subject": "Sin respuestas", "description": "Falta una."])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("responda a esta pregunta.") && !refused.text.contains("is required"),
                    "\(refused.text)")
            let filed = try await carla.post(app, "/portal/new/\(category)", [
                "subject": "La impresora no imprime", "description": "Desde esta mañana.", "answer_company": "Acme", "answer_shows_error": "no"])
            #expect(filed.status == .seeOther || filed.status == .found, "\(filed.status) \(filed.text)")
            let newReference = try #require(filed.headers.first(name: .location)?.split(separator: "/").last.map(String.init))
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let desk = try await agent.get(app, "/desk/cases/\(newReference)")
            #expect(desk.text.contains("The customer filled in this form in Español.") && desk.text.contains(#"id="intake-untranslated""#)
                    && desk.text.contains("for want of a Español translation") && desk.text.contains("Company"), "\(desk.text)")

            // Canned responses in the customer's language are offered first.
            for (title, language) in [("A greeting", "en"), ("Un saludo", "es")] {
                let canned = try await app.call(.POST, "/api/v1/canned-responses", token: f.admin, json: ["title": title, "body": title, "language": language])
                #expect(canned.status == .created, "\(canned.text)")
            }
            let offered = try await agent.get(app, "/desk/cases/\(newReference)").text
            let spanishAt = try #require(offered.range(of: "Un saludo (Español)")), englishAt = try #require(offered.range(of: "A greeting (English)"))
            #expect(spanishAt.lowerBound < englishAt.lowerBound)

            // The original changes: the translation is out of date and the new words are shown until it is redone.
            #expect(try await app.call(.PATCH, "/api/v1/categories/\(category)", token: f.admin, json: ["name": "Printing and scanning"]).status == .ok)
            let outdated = try await app.call(.GET, "/api/v1/translations?language=es&kind=category&state=outdated", token: f.admin).list
            #expect(outdated.map { $0["field"] as? String } == ["name"] && outdated.first?["text"] as? String == "Impresión", "\(outdated)")
            #expect(try await carla.get(app, "/portal/new").text.contains(#"<strong lang="en">Printing and scanning</strong>"#))

            let removed = try await app.call(.DELETE, "/api/v1/translations/problem/\(problem)/workaround/es", token: f.admin)
            #expect(removed.status == .noContent)
            #expect(try await carla.get(app, "/portal/cases/\(reference)").text.contains(#"lang="en">Restart the print spooler."#))
        }
    }

    @Test("the translations page saves, refuses an empty translation keeping the form, and removes", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (category, _, _) = try await Self.setUp(app, f)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let anchor = "tr-category-\(category.lowercased())-name"
            let page = try await admin.get(app, "/admin/translations?language=fr")
            #expect(page.status == .ok && page.text.contains("id=\"\(anchor)\"") && page.text.contains("Question “error_code”"), "\(page.text)")
            #expect(try await admin.get(app, "/admin").text.contains("href=\"/admin/translations\""))
            for bad in ["language=xx", "language=en", "kind=planet"] {
                let refusedQuery = try await app.call(.GET, "/admin/translations?" + bad, headers: [("Cookie", admin.cookie), ("Accept", "text/html")])
                #expect(refusedQuery.status == .unprocessableEntity && refusedQuery.text.contains("<html"), "\(bad): \(refusedQuery.status)")
            }

            let fields = ["kind": "category", "item": category, "field": "name", "language": "fr", "back": "/admin/translations?language=fr"]
            var empty = fields
            empty["text"] = " "
            let refused = try await admin.post(app, "/admin/translations", empty)
            #expect(refused.headers.first(name: .location)?.hasSuffix("#" + anchor) == true)
            let again = try await admin.get(app, "/admin/translations?language=fr")
            #expect(again.text.contains("id=\"\(anchor)-error\"") && again.text.contains("Write the translation, or remove it."), "\(again.text)")
            var written = fields
            written["text"] = "Impression"
            _ = try await admin.post(app, "/admin/translations", written)
            #expect(try await admin.get(app, "/admin/translations?language=fr").text.contains("Translation saved."))
            let stored = try await app.call(.GET, "/api/v1/translations?language=fr&kind=category", token: f.admin).list
            #expect(stored.first { $0["field"] as? String == "name" }?["text"] as? String == "Impression")
            let all = try await admin.get(app, "/admin/translations?language=fr&kind=category&show=all")
            #expect(all.text.contains(">Impression</textarea>") && all.text.contains("id=\"\(anchor)-remove\""))

            _ = try await admin.post(app, "/admin/translations/remove", fields)
            let after = try await app.call(.GET, "/api/v1/translations?language=fr&kind=category", token: f.admin).list
            #expect(after.first { $0["field"] as? String == "name" }?["state"] as? String == "missing")

            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            #expect(try await agent.get(app, "/admin/translations").status != .ok, "admins only")
        }
    }

    @Test("a proactive notice goes to each reader in their language once subject and message are translated; the preview says who would get which",
          arguments: TestDatabase.all)
    func notices(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es"]).status == .ok)
            let product = try #require(try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "GateOS"]).json["id"] as? String)
            let version = try #require(try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "7.2"]).json["id"] as? String)
            for token in [f.customer, f.outsider] {
                _ = try await app.call(.POST, "/api/v1/cases", token: token, json: ["subject": "VPN drops", "description": "Since 7.2", "product_version_id": version])
            }
            let preview = try await app.call(.POST, "/api/v1/notices/preview", token: f.agent, json: [
                "product_version_id": version, "subject": "Known issue in GateOS 7.2", "body": "Tunnels may drop; upgrade to 7.2.1 when it ships."])
            #expect(preview.status == .created, "\(preview.text)")
            let id = try #require(preview.json["id"] as? String)
            func coverage(_ json: [String: Any]) -> [String: Bool] {
                Dictionary(uniqueKeysWithValues: (json["languages"] as? [[String: Any]] ?? []).compactMap { entry in
                    (entry["language"] as? String).map { ($0, entry["translated"] as? Bool ?? false) }
                })
            }
            #expect(coverage(preview.json) == ["en": true, "es": false], "\(preview.text)")

            let drafts = try await app.call(.GET, "/api/v1/translations?language=es&kind=notice", token: f.admin).list
            #expect(Set(drafts.compactMap { $0["field"] as? String }) == ["subject", "body"])
            #expect(try await app.call(.PUT, "/api/v1/translations/notice/\(id)/subject/es", token: f.admin,
                                       json: ["text": "Incidencia conocida en GateOS 7.2"]).status == .ok)
            #expect(coverage(try await app.call(.GET, "/api/v1/notices/\(id)", token: f.agent).json) == ["en": true, "es": false],
                    "half a translation is none: both subject and message are needed")
            #expect(try await app.call(.PUT, "/api/v1/translations/notice/\(id)/body/es", token: f.admin,
                                       json: ["text": "Los túneles pueden caerse; actualice a 7.2.1 cuando esté disponible."]).status == .ok)
            #expect(coverage(try await app.call(.GET, "/api/v1/notices/\(id)", token: f.agent).json) == ["en": true, "es": true])

            #expect(try await app.call(.POST, "/api/v1/notices/\(id)/send", token: f.agent).status == .ok)
            let mails = try await (app.db as! any SQLDatabase).raw("SELECT subject, recipients FROM outbound_messages WHERE kind = 'notice'").all()
            let bySubject = Dictionary(uniqueKeysWithValues: try mails.map { (try $0.decode(column: "subject", as: String.self), try $0.decode(column: "recipients", as: String.self)) })
            #expect(bySubject["Incidencia conocida en GateOS 7.2"]?.contains("carla@acme.example") == true, "\(bySubject)")
            #expect(bySubject["Known issue in GateOS 7.2"]?.contains("olga@globex.example") == true, "\(bySubject)")
            #expect(try await app.call(.GET, "/api/v1/translations?kind=notice", token: f.admin).list.isEmpty, "a sent notice is no longer translated")
            let late = try await app.call(.PUT, "/api/v1/translations/notice/\(id)/subject/es", token: f.admin, json: ["text": "Tarde"])
            #expect(late.status == .notFound && late.isProblem, "a sent notice cannot be translated any more: \(late.text)")
        }
    }
}
