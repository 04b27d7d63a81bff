@testable import CasebookServer
import CasebookMail
import Foundation
import NIOCore
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@Suite("Outbound email")
struct OutboundEmailTests {
    static func outbox(_ app: Application) async throws -> [(kind: String, status: String, messageID: String, raw: String)] {
        try await (app.db as! any SQLDatabase).select().columns("kind", "status", "message_id", "raw").from("outbound_messages")
            .orderBy("created_at").all().map {
                (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "status", as: String.self),
                 try $0.decode(column: "message_id", as: String.self), try $0.decode(column: "raw", as: String.self))
            }
    }

    @Test("an opened case is acknowledged and an agent's reply is mailed, through the outbox, in the contact's language", arguments: TestDatabase.all)
    func acknowledgementAndReply(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es"]).status == .ok)
            let reference = try await f.openCase(app, subject: "Impresora atascada")
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Try tray 1 meanwhile."]).status == .created)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                       json: ["text": "Internal only", "visibility": "internal"]).status == .created)
            let queued = try await Self.outbox(app)
            #expect(queued.map(\.kind) == ["acknowledgement", "reply"], "internal notes are never mailed")
            #expect(queued.allSatisfy { $0.status == "queued" })
            #expect(await app.jobs.runDue() >= 2)
            let sent = try await Self.outbox(app)
            #expect(sent.allSatisfy { $0.status == "sent" })

            let directory = app.casebook.configuration.dataDirectory + "/outbox"
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }
            #expect(files.count == 2)
            let ack = MailParser.parse(Data(sent[0].raw.utf8))
            #expect(ack.subject == "[\(reference)] Impresora atascada")
            #expect(ack.text.contains("Hemos recibido su solicitud"), "Spanish for a Spanish-speaking contact")
            #expect(ack.header("Auto-Submitted") == "auto-generated" && ack.to.first?.address == "carla@acme.example")
            let reply = MailParser.parse(Data(sent[1].raw.utf8))
            #expect(reply.header("Auto-Submitted") == nil && reply.text.contains("Try tray 1 meanwhile."))
            #expect(reply.references.contains(sent[0].messageID))
            #expect(reply.replyTo.first?.address == "support+\(reference.lowercased())@casebook.localhost", "Reply-To carries the case tag")

            // The customer answers our reply from their mail client: it threads onto the case by In-Reply-To.
            let answer = InboundEmailTests.mail(from: "Carla <carla@acme.example>", subject: "Re: something else", messageID: "<answer@acme.example>",
                                                extra: "In-Reply-To: <\(sent[1].messageID)>\r\n", body: "Tray 1 works.")
            let receipt = try await InboundEmailTests.deliver(app, answer, token: f.admin)
            #expect(receipt.json["case_reference"] as? String == reference)
            // A client that dropped both the references and the subject tag still threads by the tagged Reply-To.
            let bare = InboundEmailTests.mail(from: "Carla <carla@acme.example>", to: "support+\(reference.lowercased())@casebook.localhost",
                                              subject: "printer", messageID: "<bare@acme.example>", body: "Still fine.")
            #expect(try await InboundEmailTests.deliver(app, bare, token: f.admin).json["case_reference"] as? String == reference)
        }
    }

    @Test("a bounce that names our Message-ID marks that outbound message bounced, with the reason", arguments: TestDatabase.all)
    func bounces(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app)
            let ours = try await Self.outbox(app)[0].messageID
            let dsn = BounceTests.report(about: ours, status: "5.1.1", diagnostic: "550 5.1.1 mailbox unknown")
            let receipt = try await InboundEmailTests.deliver(app, dsn, token: f.admin)
            #expect(receipt.status == .accepted)
            let row = try await (app.db as! any SQLDatabase).select().columns("status", "bounce_reason").from("outbound_messages")
                .where("message_id", .equal, ours).first()
            #expect(try row?.decode(column: "status", as: String.self) == "bounced")
            #expect(try row?.decode(column: "bounce_reason", as: String.self).contains("550 5.1.1 mailbox unknown") == true)
            #expect(try await rowCount(app, "cases") == 1, "a bounce never opens a case")
        }
    }

    @Test("the SMTP relay transport delivers through STARTTLS to a real listener; a refused recipient fails for good")
    func relay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-relay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem",
                             "-days", "1", "-subj", "/CN=127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        openssl.standardOutput = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        let received = NIOLockedValueBox<[(SMTPEnvelope, [UInt8], Bool)]>([])
        let group = MultiThreadedEventLoopGroup.singleton
        let policy = SMTPServerSession.Policy(hostname: "relay.test", maxMessageBytes: 1_000_000, offersTLS: true, requiresTLS: true,
                                              acceptsRecipient: { $0.hasSuffix("@acme.example") })
        let listener = try await SMTPListener.start(host: "127.0.0.1", port: 0, policy: policy,
                                                    tls: try SMTPListener.tlsContext(certificatePath: directory + "/cert.pem", keyPath: directory + "/key.pem"),
                                                    group: group) { envelope, bytes, peer in
            received.withLockedValue { $0.append((envelope, bytes, peer.tls)) }
            return "ok"
        }
        defer { Task { await listener.stop() } }
        let client = SMTPRelayClient(host: "127.0.0.1", port: try #require(listener.port), heloName: "casebook.test", tls: .required,
                                     verifyCertificates: false, username: nil, password: nil, group: group)
        let mail = MailComposer.compose(OutgoingMail(from: MailAddress(name: nil, address: "support@cb.example"),
                                                     to: [MailAddress(name: nil, address: "dana@acme.example")], subject: "Relayed",
                                                     messageID: "cb.relay@cb.example", isAutomatic: false, text: ".dot line\nbody",
                                                     date: Date()))
        try await MailTransport.smtp(client).send(mail, id: UUID(), from: "support@cb.example", to: ["dana@acme.example"])
        let got = received.withLockedValue { $0 }
        #expect(got.count == 1 && got.first?.2 == true, "delivered over TLS")
        #expect(got.first?.0.recipients == ["dana@acme.example"])
        #expect(MailParser.parse(Data(got.first?.1 ?? [])).subject == "Relayed")
        await #expect(throws: SMTPClientError.self) {
            try await client.send(mail, from: "support@cb.example", to: ["someone@elsewhere.example"])
        }
        do {
            try await client.send(mail, from: "support@cb.example", to: ["someone@elsewhere.example"])
        } catch let error as SMTPClientError {
            #expect(error.isPermanent, "a 550 is not worth retrying")
        }
    }
    @Test("a new contact who writes in French or German is answered in it: acknowledgement, reply footer and survey", arguments: TestDatabase.all)
    func writtenLanguage(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let french = InboundEmailTests.mail(from: "Léa Martin <lea@acme.example>", subject: "Imprimante bloquée", messageID: "<fr1@acme.example>",
                                                body: "Bonjour, l'imprimante du deuxième étage ne répond plus depuis ce matin. Merci de regarder.")
            #expect(try await InboundEmailTests.deliver(app, french, token: f.admin).status == .accepted)
            let german = InboundEmailTests.mail(from: "Jonas Weber <jonas@acme.example>", subject: "Drucker", messageID: "<de1@acme.example>",
                                                body: "Hallo, der Drucker im zweiten Stock druckt seit heute Morgen nicht. Können Sie sich das ansehen?")
            #expect(try await InboundEmailTests.deliver(app, german, token: f.admin).status == .accepted)
            _ = await app.jobs.runDue()
            _ = await app.jobs.runDue()
            let acks = try await Self.outbox(app).filter { $0.kind == "acknowledgement" }.map { MailParser.parse(Data($0.raw.utf8)) }
            #expect(acks.contains { $0.to.first?.address == "lea@acme.example" && $0.text.contains("Nous avons bien reçu votre demande « Imprimante bloquée »") },
                    "\(acks.map(\.text))")
            #expect(acks.contains { $0.to.first?.address == "jonas@acme.example" && $0.text.contains("Wir haben Ihre Anfrage „Drucker“ erhalten") })
            let people = try await app.call(.GET, "/api/v1/users?role=customer", token: f.admin)
            let items = people.json["items"] as? [[String: Any]] ?? people.list
            #expect(items.first { $0["email"] as? String == "lea@acme.example" }?["language"] as? String == "fr")
            #expect(items.first { $0["email"] as? String == "jonas@acme.example" }?["language"] as? String == "de")
            #expect(MailTemplates.survey(reference: "CB-1", subject: "Drucker", name: "Jonas", link: "https://x", language: "de").subject
                    == "[CB-1] Wie zufrieden waren Sie?")
            #expect(MailTemplates.reply(reference: "CB-1", subject: "s", body: "b", agent: "Ann", language: "fr").text
                .hasSuffix("Répondez à ce message pour compléter le dossier CB-1."))
        }
    }
}

@Suite("Outbound email threading")
struct OutboundThreadingTests {
    @Test("the acknowledgement of a case opened by email threads under the customer's message", arguments: TestDatabase.all)
    func acknowledgementThreads(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(), token: f.admin)
            let ack = try #require(try await OutboundEmailTests.outbox(app).first)
            let parsed = MailParser.parse(Data(ack.raw.utf8))
            #expect(ack.kind == "acknowledgement" && parsed.inReplyTo == ["m1@acme.example"] && parsed.references == ["m1@acme.example"])
        }
    }
}
