@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Contacts and organisations as CSV")
struct PeopleCSVTests {
    static func send(_ app: Application, _ path: String, _ token: String, _ csv: String) async throws -> APIResponse {
        try await app.call(.POST, path, token: token, data: Data(csv.utf8), headers: [("Content-Type", "text/csv")])
    }

    @Test("a preview names every bad row and writes nothing; an import is all or nothing unless bad rows are skipped; known ones are updated",
          arguments: TestDatabase.all)
    func contacts(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let people = try await rowCount(app, "users")
            let organisations = """
                name,domain,shares_cases,seats,account_manager
                Initech,initech.example,yes,40,am@cb.example
                "Umbrella, Inc.",umbrella.example,no,12,
                Acme,acme.example,yes,99,
                """
            let orgs = try await Self.send(app, "/api/v1/organisations/import", f.admin, organisations)
            #expect(orgs.status == .created && orgs.json["created"] as? Int == 2 && orgs.json["updated"] as? Int == 1, "\(orgs.text)")

            let csv = """
                email,name,organisation,phone,language,time_zone
                peter@initech.example,Peter Gibbons,Initech,'+1 555 0100,en,America/Chicago
                bad-address,Nobody,Initech,,,
                milton@initech.example,Milton,Nowhere Ltd,,,
                carla@acme.example,Carla Renamed,Acme,,es,Europe/Madrid
                agent@cb.example,Sneaky,Initech,,,
                peter@initech.example,Peter Again,Initech,,,
                alice@umbrella.example,Alice,"Umbrella, Inc.",,xx-yyyy-zzz,Mars/Base
                """
            let preview = try await Self.send(app, "/api/v1/contacts/import?mode=preview", f.agent, csv)
            #expect(preview.status == .ok && preview.json["rows"] as? Int == 7 && preview.json["invalid"] as? Int == 5, "\(preview.text)")
            let outcomes = try #require(preview.json["outcomes"] as? [[String: Any]])
            let badRows = outcomes.filter { $0["errors"] != nil }.compactMap { $0["row"] as? Int }
            #expect(badRows == [3, 4, 6, 7, 8], "every bad row is named: \(badRows)")
            let messages = outcomes.flatMap { ($0["errors"] as? [String]) ?? [] }.joined(separator: " | ")
            #expect(messages.contains("email must be an email address") && messages.contains("'Nowhere Ltd' is not known")
                    && messages.contains("member of staff") && messages.contains("also on row 2") && messages.contains("time_zone"), "\(messages)")
            #expect(outcomes.first { $0["key"] as? String == "carla@acme.example" }?["action"] as? String == "update")
            #expect(try await rowCount(app, "users") == people, "a preview writes nothing")

            let refused = try await Self.send(app, "/api/v1/contacts/import", f.agent, csv)
            #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.text.contains("row 3") && refused.text.contains("row 8"))
            #expect(try await rowCount(app, "users") == people, "all or nothing")

            let skipped = try await Self.send(app, "/api/v1/contacts/import?skip_bad_rows=true", f.agent, csv)
            #expect(skipped.status == .created && skipped.json["created"] as? Int == 1 && skipped.json["updated"] as? Int == 1
                    && skipped.json["skipped"] as? Int == 5, "\(skipped.text)")
            #expect(try await rowCount(app, "users") == people + 1)
            let carla = try await app.call(.GET, "/api/v1/users?organisation_id=\(f.organisationID)", token: f.admin).list
                .first { $0["email"] as? String == "carla@acme.example" }
            #expect(carla?["name"] as? String == "Carla Renamed" && carla?["time_zone"] as? String == "Europe/Madrid")
            let agent = try await app.call(.GET, "/api/v1/users/\(f.agentID)", token: f.admin)
            #expect(agent.json["name"] as? String != "Sneaky", "staff are never changed by an import")

            let exported = try await app.call(.GET, "/api/v1/contacts/export", token: f.agent)
            #expect(exported.status == .ok && exported.headers.contentType?.subType == "csv")
            #expect(exported.text.contains("peter@initech.example,Peter Gibbons,Initech,'+1 555 0100,en,America/Chicago"), "\(exported.text)")
            let again = try await Self.send(app, "/api/v1/contacts/import?mode=preview", f.agent, exported.text)
            #expect(again.json["invalid"] as? Int == 0 && (again.json["outcomes"] as? [[String: Any]])?.allSatisfy { $0["action"] as? String == "update" } == true,
                    "an export imports back cleanly as updates")
            let orgExport = try await app.call(.GET, "/api/v1/organisations/export", token: f.agent)
            #expect(orgExport.text.contains("\"Umbrella, Inc.\",umbrella.example,no,12,") && orgExport.text.contains("Initech,initech.example,yes,40,am@cb.example"))

            #expect(try await Self.send(app, "/api/v1/contacts/import", f.customer, csv).status == .forbidden)
            #expect(try await Self.send(app, "/api/v1/organisations/import", f.agent, "name,colour\nX,red").status == .unprocessableEntity)
            #expect(try await Self.send(app, "/api/v1/contacts/import?mode=guess", f.agent, csv).status == .unprocessableEntity)
            #expect(try await Self.send(app, "/api/v1/contacts/import", f.agent, "email,name\n\"broken,x").status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/contacts/import", token: f.agent).status == .badRequest)
        }
    }

    @Test("the people page previews a CSV, shows every bad row, and keeps the pasted file when the import is refused")
    func page() async throws {
        try await withCasebook(.sqlite) { app in
            _ = try await Fixture.make(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example", password: "a-good-password")
            let csv = "email,name\nnew@acme.example,New Person\nnot-an-address,Broken"
            let preview = try await agent.post(app, "/customers/people/run/preview", ["csv": csv])
            #expect(preview.status == .ok && preview.text.contains("not-an-address") && preview.text.contains("must be an email address"))
            let refused = try await agent.post(app, "/customers/people/run/import", ["csv": csv])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("row 3") && refused.text.contains("new@acme.example,New Person"))
            let good = try await agent.post(app, "/customers/people/run/import-good-rows", ["csv": csv])
            #expect(good.status == .ok && good.text.contains("Skipped"))
            let list = try await agent.get(app, "/customers/people")
            #expect(list.text.contains("New Person") && list.text.contains("/api/v1/contacts/export"))
        }
    }
}
