@testable import CasebookServer
import CasebookMail
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Copies (CC) on a case, and moving a case to another requester")
struct CaseCopyAndRequesterTests {
    static func recipients(_ app: Application, kind: String) async throws -> [String] {
        try await (app.db as! any SQLDatabase).select().column("recipients").from("outbound_messages").where("kind", .equal, kind)
            .orderBy("created_at").all().map { try $0.decode(column: "recipients", as: String.self) }
    }

    @Test("a copied person gets the public replies with a Cc header, their answer lands on the case though they cannot open it, and each change is on the timeline",
          arguments: TestDatabase.all)
    func copiesOnReplies(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let added = try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": "Olga@Globex.example", "name": "ignored"])
            #expect(added.status == .created, "\(added.text)")
            #expect(added.list.map { $0["address"] as? String } == ["olga@globex.example"])
            #expect(added.list.first?["name"] as? String == "olga", "a known contact keeps their own name")
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": "olga@globex.example"]).list.count == 1,
                    "copying twice changes nothing")

            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "A technician comes at 10."])
            let reply = try #require(try await OutboundEmailTests.outbox(app).last { $0.kind == "reply" })
            let parsed = MailParser.parse(Data(reply.raw.utf8))
            #expect(parsed.to.map(\.address) == ["carla@acme.example"] && parsed.cc.map(\.address) == ["olga@globex.example"])
            #expect(try await Self.recipients(app, kind: "reply") == ["carla@acme.example,olga@globex.example"], "the envelope reaches both")
            #expect(try await Self.recipients(app, kind: "acknowledgement") == ["carla@acme.example"], "copies start from the moment they are added")

            // Olga answers from her mail client: the answer threads onto the case although the case is not hers to open.
            let answer = InboundEmailTests.mail(from: "Olga <olga@globex.example>", subject: "Re: printer", messageID: "<olga-1@globex.example>",
                                                extra: "In-Reply-To: <\(reply.messageID)>\r\n", body: "10 works for our building too.")
            #expect(try await InboundEmailTests.deliver(app, answer, token: f.admin).json["case_reference"] as? String == reference)
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(messages.contains { ($0["text"] as? String)?.contains("10 works for our building") == true })
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.outsider).status == .notFound, "a copy is not access")

            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).text
            #expect(timeline.contains("\"field\":\"cc\""), "\(timeline.prefix(400))")
            let customerTimeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).text
            #expect(!customerTimeline.contains("\"field\":\"cc\""), "who is copied is the desk's record")

            #expect(try await app.call(.DELETE, "/api/v1/cases/\(reference)/cc/olga@globex.example", token: f.agent).status == .noContent)
            #expect(try await app.call(.DELETE, "/api/v1/cases/\(reference)/cc/olga@globex.example", token: f.agent).status == .notFound)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Done."])
            #expect(try await Self.recipients(app, kind: "reply").last == "carla@acme.example")
        }
    }

    @Test("the people a customer copies (Cc) on their mail stay in the conversation; our own addresses, case addresses and staff never become copies",
          arguments: TestDatabase.all)
    func copiesFromMail(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let first = InboundEmailTests.mail(from: "Carla <carla@acme.example>", to: "support@casebook.example, Dan <dan@acme.example>",
                                               subject: "Badge reader dead", messageID: "<cc-1@acme.example>",
                                               extra: "Cc: Agent <agent@cb.example>, Eve Example <Eve@partner.example>, support+cb-10001@casebook.example\r\n",
                                               body: "The badge reader at the door is dead.")
            let receipt = try await InboundEmailTests.deliver(app, first, token: f.admin)
            let reference = try #require(receipt.json["case_reference"] as? String)
            let copies = try await app.call(.GET, "/api/v1/cases/\(reference)/cc", token: f.agent).list
            #expect(copies.map { $0["address"] as? String } == ["eve@partner.example"], "only Cc: the To line holds our own address: \(copies)")
            #expect(copies.last?["name"] as? String == "Eve Example")
            // A later reply copying one more person adds them; those already copied stay once.
            let second = InboundEmailTests.mail(from: "Carla <carla@acme.example>", to: "support@casebook.example", subject: "Re: [\(reference)] Badge reader dead",
                                                messageID: "<cc-2@acme.example>", extra: "Cc: dan@acme.example, fay@acme.example\r\n", body: "Still dead.")
            #expect(try await InboundEmailTests.deliver(app, second, token: f.admin).json["case_reference"] as? String == reference)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/cc", token: f.agent).list.map { $0["address"] as? String }
                    == ["eve@partner.example", "dan@acme.example", "fay@acme.example"])
        }
    }

    @Test("a copy is refused with the reason: not an address, the requester's own, too many, a customer or account manager asking",
          arguments: TestDatabase.all)
    func refusedCopies(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            for (body, field) in [(["address": "not an address"], "address"), (["address": "carla@acme.example"], "address"), (["name": "No address"], "")] {
                let refused = try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: body)
                #expect([400, 422].contains(refused.status.code) && refused.isProblem, "\(body): \(refused.text)")
                if !field.isEmpty { #expect(refused.text.contains(field)) }
            }
            let huge = String(repeating: "a", count: 10_000) + "@partner.example"
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": huge]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": ""]).status == .unprocessableEntity)
            #expect(try await app.call(.DELETE, "/api/v1/cases/\(reference)/cc/not-an-address", token: f.agent).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/cases/CB-99999/cc", token: f.agent, json: ["address": "x@partner.example"]).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/cc", token: f.agent).list.isEmpty, "nothing refused was stored")
            for n in 1...CaseCopyRepository.limit {
                #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": "p\(n)@partner.example"]).status == .created)
            }
            let tooMany = try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.agent, json: ["address": "one-more@partner.example"])
            #expect(tooMany.status == .unprocessableEntity && tooMany.text.contains("at most 20"), "\(tooMany.text)")
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.customer, json: ["address": "x@acme.example"]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/cc", token: f.manager, json: ["address": "x@acme.example"]).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/cc", token: f.customer).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/cc", token: f.agent).list.count == CaseCopyRepository.limit)
        }
    }

    @Test("a case moved to another person goes to their organisation, unless one is given; the move is on the timeline; an unknown person is refused",
          arguments: TestDatabase.all)
    func movingTheRequester(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let olga = try #require(try await app.call(.GET, "/api/v1/users?organisation_id=\(f.otherOrganisationID)", token: f.admin).list.first?["id"] as? String)
            let moved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "requester_id": olga])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.json["requester_id"] as? String == olga && moved.json["organisation_id"] as? String == f.otherOrganisationID)
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).text
            #expect(timeline.contains("\"field\":\"requester\"") && timeline.contains("\"field\":\"organisation\""))

            let back = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                          json: ["version": 2, "requester_id": f.customerID, "organisation_id": f.otherOrganisationID])
            #expect(back.json["requester_id"] as? String == f.customerID && back.json["organisation_id"] as? String == f.otherOrganisationID,
                    "an organisation given with the move is kept")
            let unknown = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 3, "requester_id": UUID().uuidString])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("requester_id"), "\(unknown.text)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as? Int == 3, "a refused move changes nothing")
            #expect(try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.customer, json: ["version": 3, "requester_id": olga]).status == .forbidden)
        }
    }
}
