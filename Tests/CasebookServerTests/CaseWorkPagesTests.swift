@testable import CasebookServer
import Foundation
import Testing
import Vapor

/// The desk's forms for working cases, over HTTP as a browser sends them: a new case for a caller, a case's details,
/// and the case page in the agent's language.
@Suite("Case work pages")
struct CaseWorkPagesTests {
    @Test("a case for a caller: finding keeps what was typed, a new contact and the case are made together or not at all",
          arguments: TestDatabase.all)
    func newCaseForACaller(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            #expect(try await agent.get(app, "/desk/new").status == .ok)
            let typed = ["subject": "Label printer offline", "description": "Called from the warehouse: the label printer shows offline.", "channel": "phone"]

            let found = try await agent.post(app, "/desk/new", typed.merging(["intent": "find", "find": "carla"]) { $1 })
            #expect(found.status == .ok && found.text.contains("carla@acme.example") && found.text.contains("Called from the warehouse"))
            #expect(found.text.contains(#"value="\#(f.customerID.lowercased())" id="p-\#(f.customerID.lowercased())" checked"#), "the only match is chosen")
            let short = try await agent.post(app, "/desk/new", typed.merging(["intent": "find", "find": "c"]) { $1 })
            #expect(short.status == .unprocessableEntity && short.text.contains("at least two letters") && short.text.contains("Label printer offline"))

            let casesBefore = try await rowCount(app, "cases"), peopleBefore = try await rowCount(app, "users")
            // A new contact whose case is refused (no description) is not left behind.
            var refusedInput = typed.merging(["intent": "create", "requester_id": "new", "new_email": "wes@warehouse.example", "new_name": "Wes"]) { $1 }
            refusedInput["description"] = "  "
            let refused = try await agent.post(app, "/desk/new", refusedInput)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("new-case-error") && refused.text.contains("wes@warehouse.example"))
            #expect(try await rowCount(app, "users") == peopleBefore)
            #expect(try await rowCount(app, "cases") == casesBefore)
            let nobody = try await agent.post(app, "/desk/new", typed.merging(["intent": "create"]) { $1 })
            #expect(nobody.status == .unprocessableEntity && nobody.text.contains("find the person, or add them as someone new"))

            let opened = try await agent.post(app, "/desk/new", typed.merging(["intent": "create", "requester_id": "new", "new_email": "wes@warehouse.example",
                                                                               "new_name": "Wes Ware", "new_organisation_id": f.organisationID.lowercased()]) { $1 })
            #expect(opened.status == .seeOther, "\(opened.text.prefix(300))")
            let reference = try #require(opened.headers.first(name: .location)?.components(separatedBy: "/").last)
            let made = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(made["channel"] as? String == "phone" && made["organisation_id"] as? String == f.organisationID)
            // The same address again: the contact is found, not made twice.
            let again = try await agent.post(app, "/desk/new", typed.merging(["intent": "create", "requester_id": "new", "new_email": "WES@warehouse.example"]) { $1 })
            #expect(again.status == .seeOther)
            #expect(try await rowCount(app, "users") == peopleBefore + 1)
            // A customer cannot reach the page.
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let customerTries = try await carla.get(app, "/desk/new")
            #expect([.forbidden, .seeOther].contains(customerTries.status) && !customerTries.text.contains("new-case-form"), "\(customerTries.status)")
        }
    }

    @Test("the details form changes only what differs, says why it refused with the typing kept, and refuses a stale version with 409",
          arguments: TestDatabase.all)
    func detailsForm(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/desk/cases/\(reference)")
            let base = ["version": "1", "subject": "Printer jams on tray 2", "requester_email": "carla@acme.example", "organisation_id": f.organisationID.lowercased(),
                        "product_id": "", "product_version_id": "", "category_id": "", "tags": ""]
            let unchanged = try await agent.post(app, "/desk/cases/\(reference)/details", base)
            #expect(unchanged.status == .seeOther)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as? Int == 1, "nothing differed, nothing written")

            let refused = try await agent.post(app, "/desk/cases/\(reference)/details",
                                               base.merging(["subject": "Jams after the toner change", "requester_email": "ghost@nowhere.example"]) { $1 })
            #expect(refused.status == .unprocessableEntity && refused.text.contains("details-error") && refused.text.contains("nobody we know"))
            #expect(refused.text.contains(#"value="Jams after the toner change""#) && refused.text.contains("case-details\" open"))

            let saved = try await agent.post(app, "/desk/cases/\(reference)/details", base.merging(["subject": "Jams after the toner change", "tags": "Jam, tray2"]) { $1 })
            #expect(saved.status == .seeOther)
            let now = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(now["subject"] as? String == "Jams after the toner change" && (now["tags"] as? [String]) == ["jam", "tray2"] && now["version"] as? Int == 2)

            let stale = try await agent.post(app, "/desk/cases/\(reference)/details", base.merging(["subject": "Someone else's idea"]) { $1 })
            #expect(stale.status == .conflict && stale.text.contains("Someone else changed this case") && stale.text.contains("Someone else"), "\(stale.status)")
            #expect(stale.text.contains("s idea"), "the typing is kept")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["subject"] as? String == "Jams after the toner change")
        }
    }

    @Test("the case page speaks the agent's language", arguments: TestDatabase.all)
    func casePageInTheAgentsLanguage(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["language": "es"]).status == .ok)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let page = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(page.text.contains("Responder o añadir una nota") && page.text.contains("Guardar campos") && page.text.contains(#"lang="es""#))
            #expect(page.text.contains("Pendiente del cliente") && !page.text.contains("Reply or add a note"))
        }
    }
}
