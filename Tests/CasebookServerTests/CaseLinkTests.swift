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

    @Test("a message becomes a case of its own: its text, files and author, linked to the first case, which keeps the message",
          arguments: TestDatabase.all)
    func split(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Printer jams")
            let file = ["filename": "scan.pdf", "data": Data("scan".utf8).base64EncodedString()]
            let second = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer,
                                            json: ["text": "Also: my laptop battery is swollen.\nIt is hot.", "attachments": [file]])
            let messageID = try #require(second.json["id"] as? String)
            let path = "/api/v1/cases/\(reference)/messages/\(messageID)/split"
            #expect(try await app.call(.POST, path, token: f.customer).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages/\(UUID())/split", token: f.agent).status == .notFound)

            let created = try await app.call(.POST, path, token: f.agent)
            #expect(created.status == .created && created.json["subject"] as? String == "Also: my laptop battery is swollen.", "\(created.text)")
            let new = try #require(created.json["reference"] as? String)
            #expect(created.json["requester_id"] as? String == f.customerID)
            let messages = try await app.call(.GET, "/api/v1/cases/\(new)/messages", token: f.agent).list
            #expect(messages.first?["text"] as? String == "Also: my laptop battery is swollen.\nIt is hot.")
            #expect(((messages.first?["attachments"] as? [[String: Any]]) ?? []).first?["filename"] as? String == "scan.pdf")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.count == 2, "the first case keeps it")
            let links = try await app.call(.GET, "/api/v1/cases/\(reference)/links", token: f.agent).list
            #expect(links.first?["reference"] as? String == new)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).text.contains("split into \(new)"))
            let named = try await app.call(.POST, path, token: f.agent, json: ["subject": "Battery"])
            #expect(named.json["subject"] as? String == "Battery")
        }
    }

    @Test("merging copies the conversation and files to the case that remains, closes the merged case, and mail answering it lands in the other; merging twice, into itself or into a merged case is refused",
          arguments: TestDatabase.all)
    func merge(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let first = try await f.openCase(app, subject: "VPN drops every hour")
            let file = ["filename": "vpn.log", "data": Data("log".utf8).base64EncodedString()]
            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.customer, json: ["text": "Log attached", "attachments": [file]]).status == .created)
            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/messages", token: f.agent,
                                       json: ["text": "Looks like the keepalive", "visibility": "internal"]).status == .created)
            let second = try await f.openCase(app, subject: "VPN keeps dropping")

            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/merge", token: f.customer, json: ["into": second]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/merge", token: f.agent, json: ["into": first]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/merge", token: f.agent, json: ["into": "CB-99999"]).status == .unprocessableEntity)
            let merged = try await app.call(.POST, "/api/v1/cases/\(first)/merge", token: f.agent, json: ["into": second])
            #expect(merged.status == .ok && merged.json["reference"] as? String == second, "\(merged.text)")

            #expect(try await app.call(.GET, "/api/v1/cases/\(first)", token: f.agent).json["status"] as? String == "closed")
            let messages = try await app.call(.GET, "/api/v1/cases/\(second)/messages", token: f.agent).list
            let texts = messages.compactMap { $0["text"] as? String }
            #expect(texts.contains("Log attached") && texts.contains("Looks like the keepalive") && texts.count == 4, "\(texts)")
            #expect(messages.contains { (($0["attachments"] as? [[String: Any]]) ?? []).first?["filename"] as? String == "vpn.log" })
            #expect(try await app.call(.GET, "/api/v1/cases/\(second)/messages", token: f.customer).list.count == 3, "internal notes stay internal")
            let links = try await app.call(.GET, "/api/v1/cases/\(second)/links", token: f.agent).list
            #expect(links.first?["relation"] as? String == "merged from" && links.first?["reference"] as? String == first)

            let reply = InboundEmailTests.mail(from: "carla@acme.example", subject: "Re: [\(first)] still dropping", messageID: "<m-merge@acme.example>",
                                               body: "Still dropping.")
            #expect(try await InboundEmailTests.deliver(app, reply, token: f.admin).json["case_reference"] as? String == second)

            #expect(try await app.call(.POST, "/api/v1/cases/\(first)/merge", token: f.agent, json: ["into": second]).status == .conflict)
            let third = try await f.openCase(app, subject: "Third")
            #expect(try await app.call(.POST, "/api/v1/cases/\(third)/merge", token: f.agent, json: ["into": first]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/cases/\(third)/links", token: f.agent, json: ["reference": second, "kind": "merged_into"]).status
                    == .unprocessableEntity)
        }
    }
}
