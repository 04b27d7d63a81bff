@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Linked cases")
struct CaseLinkTests {
    @Test("staff link a case to another as related, part of it or its duplicate; both ends show the link in their own words and on their timelines; bad links are refused",
          arguments: TestDatabase.all)
    func links(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let outage = try await f.openCase(app, subject: "Whole office offline")
            let printer = try await f.openCase(app, subject: "Printer offline")
            let again = try await f.openCase(app, subject: "Whole office offline again")
            let globex = try #require(try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "G", "description": "g"])
                .json["reference"] as? String)

            let child = try await app.call(.POST, "/api/v1/cases/\(printer)/links", token: f.agent, json: ["reference": outage, "kind": "child_of"])
            #expect(child.status == .created && child.json["relation"] as? String == "part of" && child.json["reference"] as? String == outage, "\(child.text)")
            let duplicate = try await app.call(.POST, "/api/v1/cases/\(again)/links", token: f.agent, json: ["reference": outage, "kind": "duplicate_of"])
            #expect(duplicate.status == .created)

            let fromOutage = try await app.call(.GET, "/api/v1/cases/\(outage)/links", token: f.agent).list
            #expect(fromOutage.map { "\($0["relation"] as? String ?? "") \($0["reference"] as? String ?? "")" } == ["parent of \(printer)", "has duplicate \(again)"])
            let timeline = try await app.call(.GET, "/api/v1/cases/\(outage)/timeline", token: f.agent).text
            #expect(timeline.contains("has duplicate \(again)") && timeline.contains("case_linked"))
            #expect(!(try await app.call(.GET, "/api/v1/cases/\(outage)/timeline", token: f.customer).text.contains("case_linked")), "links are internal")
            #expect(try await app.call(.GET, "/api/v1/cases/\(outage)/links", token: f.customer).status == .forbidden)

            for (body, status) in [(["reference": outage, "kind": "related"], HTTPResponseStatus.conflict), (["reference": printer], .unprocessableEntity),
                                   (["reference": "CB-99999"], .unprocessableEntity), (["reference": outage, "kind": "cousin_of"], .unprocessableEntity),
                                   (["reference": globex], .ok)] {
                let answer = try await app.call(.POST, "/api/v1/cases/\(printer)/links", token: f.agent, json: body)
                if status == .ok { #expect(answer.status == .created, "another organisation's case is linked by staff: \(answer.text)") }
                else { #expect(answer.status == status, "\(body): \(answer.text)") }
            }
            #expect(try await app.call(.POST, "/api/v1/cases/\(printer)/links", token: f.customer, json: ["reference": again]).status == .forbidden)

            let id = try #require(child.json["id"] as? String)
            #expect(try await app.call(.DELETE, "/api/v1/cases/\(again)/links/\(id)", token: f.agent).status == .notFound, "only from one of its ends")
            #expect(try await app.call(.DELETE, "/api/v1/cases/\(outage)/links/\(id)", token: f.agent).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/cases/\(printer)/links", token: f.agent).list.count == 1)
        }
    }
}
