@testable import CasebookMail
@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("The team's addresses (brands)")
struct MailAddressTests {
    static func outbox(_ app: Application) async throws -> [MailMessage] {
        try await (app.db as! any SQLDatabase).select().column("raw").from("outbound_messages").orderBy("created_at").all()
            .map { MailParser.parse(Data(try $0.decode(column: "raw", as: String.self).utf8)) }
    }

    @Test("a case that came in on sales@ goes to its group, its contact gets its language, and its mail goes out from sales@ with its signature; answers thread back",
          arguments: TestDatabase.all)
    func brands(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let group = try #require(try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Brand sales"]).json["id"] as? String)
            let created = try await app.call(.POST, "/api/v1/mail-addresses", token: f.admin, json: [
                "address": "Sales@Brand.example", "display_name": "Brand Sales", "signature": "Brand Sales team\n+1 555 0100",
                "group_id": group, "language": "es"])
            #expect(created.status == .created && created.json["address"] as? String == "sales@brand.example", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            for (field, value, status) in [("address", "sales@brand.example", 409), ("address", "not an address", 422), ("group_id", UUID().uuidString, 422),
                                           ("language", "xx-nowhere", 422), ("signature", String(repeating: "s", count: 2_001), 422)] {
                var body: [String: Any] = ["address": "other@brand.example"]
                body[field] = value
                let refused = try await app.call(.POST, "/api/v1/mail-addresses", token: f.admin, json: body)
                #expect(Int(refused.status.code) == status && refused.isProblem, "\(field): \(refused.text)")
            }
            #expect(try await app.call(.POST, "/api/v1/mail-addresses", token: f.agent, json: ["address": "x@brand.example"]).status.code >= 403)

            let mail = InboundEmailTests.mail(from: "Nuevo Cliente <nuevo@cliente.example>", to: "Brand Sales <sales@brand.example>",
                                              subject: "Precio por volumen", messageID: "<q1@cliente.example>", body: "¿Tienen descuento por volumen?")
            let receipt = try await InboundEmailTests.deliver(app, mail, token: f.admin)
            let reference = try #require(receipt.json["case_reference"] as? String, "\(receipt.text)")
            let opened = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(opened["group_id"] as? String == group, "new cases on the address go to its group")
            let requester = try #require(opened["requester_id"] as? String)
            #expect(try await app.call(.GET, "/api/v1/users/\(requester)", token: f.admin).json["language"] as? String == "es")

            // The agent writes Spanish well, so the reply goes straight out rather than waiting for review.
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["writes_languages": ["en", "es"]]).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Sí, a partir de 50 unidades."]).status == .created)
            let sent = try await Self.outbox(app)
            try #require(sent.count == 2)
            let tag = "sales+\(reference.lowercased())@brand.example"
            for message in sent {
                #expect(message.author?.address == "sales@brand.example" && message.replyTo.first?.address == tag, "\(message.headerValues("From"))")
            }
            #expect(sent[0].author?.name == "Brand Sales" && sent[0].text.contains("Hemos recibido"))
            #expect(sent[1].author?.name == "agent (Brand Sales)" && sent[1].text.contains("+1 555 0100") && sent[1].text.contains("Brand Sales team"))

            // The customer writes to the tagged address with a fresh subject and no threading headers: it still lands on the case.
            let answer = InboundEmailTests.mail(from: "nuevo@cliente.example", to: tag, subject: "otra pregunta", messageID: "<q2@cliente.example>",
                                                body: "¿Y el envío?")
            #expect(try await InboundEmailTests.deliver(app, answer, token: f.admin).json["case_reference"] as? String == reference)

            // Mail to the desk's own address is not on any of the team's addresses.
            let plain = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(from: "dana@acme.example", messageID: "<p1@acme.example>"), token: f.admin)
            let plainCase = try await app.call(.GET, "/api/v1/cases/\(try #require(plain.json["case_reference"] as? String))", token: f.agent).json
            #expect(plainCase["group_id"] == nil)
            #expect(try await Self.outbox(app).last?.author?.address == app.casebook.configuration.outbound.fromAddress)

            // Removed: the case's mail goes out from the desk's own address again.
            #expect(try await app.call(.DELETE, "/api/v1/mail-addresses/\(id)", token: f.admin).status == .noContent)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Enviado hoy."])
            #expect(try await Self.outbox(app).last?.author?.address == app.casebook.configuration.outbound.fromAddress)
        }
    }

    @Test("mail fetched from a mailbox is on that mailbox's address whatever its To says")
    func mailboxAddress() async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let group = try #require(try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Hardware"]).json["id"] as? String)
            let address = try #require(try await app.call(.POST, "/api/v1/mail-addresses", token: f.admin, json: [
                "address": "hardware@brand.example", "display_name": "Brand Hardware", "group_id": group]).json["id"] as? String)
            let bogus = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                           json: MailAccountTests.accountBody(server, ["mail_address_id": UUID().uuidString]))
            #expect(bogus.status == .unprocessableEntity && bogus.text.contains("mail_address_id"))
            let account = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                             json: MailAccountTests.accountBody(server, ["mail_address_id": address]))
            let accountID = try #require(account.json["id"] as? String, "\(account.text)")
            // Forwarded from elsewhere: its To is someone else's address.
            try server.deliver("From: ola@acme.example\r\nTo: someone@elsewhere.example\r\nSubject: Disk failed\r\nMessage-ID: <d1@acme.example>\r\n\r\nDisk 3 failed.\r\n")
            #expect(try await app.call(.POST, "/api/v1/mail-accounts/\(accountID)/fetch", token: f.admin).json["imported"] as? Int == 1)
            let cases = try await app.call(.GET, "/api/v1/cases?q=Disk", token: f.agent).json["items"] as? [[String: Any]] ?? []
            #expect(cases.first?["group_id"] as? String == group, "\(cases)")
            #expect(try await Self.outbox(app).first?.author?.address == "hardware@brand.example")
        }
    }
}
