@testable import CasebookMail
import Foundation
import Testing

@Suite("Composing and sending mail")
struct MailComposerTests {
    static func sample(html: Bool = true) -> OutgoingMail {
        OutgoingMail(from: MailAddress(name: "Soporte Técnico", address: "support@cb.example"),
                     to: [MailAddress(name: "Dana Doe", address: "dana@acme.example")],
                     replyTo: MailAddress(name: nil, address: "support@cb.example"),
                     subject: "[CB-10001] Impresora atascada en la bandeja número 2 — ¿alguna novedad sobre la reparación?",
                     messageID: "cb.1@cb.example", inReplyTo: "m2@acme.example", references: ["m1@acme.example", "m2@acme.example"],
                     isAutomatic: true, text: "Hola Dana,\n.starts with a dot\n" + String(repeating: "ñ", count: 120),
                     html: html ? "<p>Hola <b>Dana</b></p>" : nil, date: Date(timeIntervalSince1970: 1_795_000_000))
    }

    @Test("what we compose, our own parser reads back exactly: encoded subject and names, threading, text and HTML")
    func roundTrip() {
        let raw = MailComposer.compose(Self.sample())
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 }, "no line over the RFC 5322 limit")
        #expect(raw.allSatisfy { $0 < 128 }, "7-bit clean: survives any relay")
        #expect(text.contains("Auto-Submitted: auto-generated") && text.contains("X-Auto-Response-Suppress: All"))
        let parsed = MailParser.parse(raw)
        #expect(parsed.subject == Self.sample().subject)
        #expect(parsed.from.first?.name == "Soporte Técnico" && parsed.from.first?.address == "support@cb.example")
        #expect(parsed.messageID == "cb.1@cb.example" && parsed.inReplyTo == ["m2@acme.example"])
        #expect(parsed.references == ["m1@acme.example", "m2@acme.example"])
        #expect(parsed.replyTo.first?.address == "support@cb.example")
        #expect(parsed.text.replacingOccurrences(of: "\r\n", with: "\n").hasPrefix("Hola Dana,\n.starts with a dot\nñññ"))
        #expect(parsed.html?.contains("<b>Dana</b>") == true)
        #expect(AutomaticMail.classify(parsed) != nil,
                "our automatic mail is recognisable as automatic, so other systems do not answer it")
    }

    @Test("a plain message is a single text part, and a person's reply is not marked automatic")
    func plain() {
        var mail = Self.sample(html: false)
        mail.isAutomatic = false
        let parsed = MailParser.parse(MailComposer.compose(mail))
        #expect(parsed.html == nil && parsed.header("Auto-Submitted") == nil)
        #expect(parsed.text.contains("Hola Dana"))
    }

    @Test("SMTP client pieces: multi-line replies, dot-stuffed data, AUTH PLAIN, advertised mechanisms")
    func clientProtocol() throws {
        var reader = SMTPClientProtocol.ReplyReader()
        #expect(try reader.add("250-relay.example greets you") == nil)
        #expect(try reader.add("250-AUTH LOGIN PLAIN") == nil)
        #expect(try reader.add("250-STARTTLS") == nil)
        let ehlo = try #require(try reader.add("250 8BITMIME"))
        #expect(ehlo.code == 250 && ehlo.lines.count == 4)
        #expect(SMTPClientProtocol.authMechanisms(in: ehlo) == ["LOGIN", "PLAIN"])
        #expect(SMTPClientProtocol.offers("starttls", in: ehlo) && !SMTPClientProtocol.offers("SMTPUTF8", in: ehlo))
        #expect(try reader.add("354 go ahead")?.code == 354, "the reader starts afresh after each reply")
        #expect(throws: SMTPClientError.self) { try reader.add("hello") }
        #expect(String(decoding: SMTPClientProtocol.dataPayload(Data("a\n.b\r\n..c".utf8)), as: UTF8.self) == "a\r\n..b\r\n...c\r\n.\r\n")
        #expect(SMTPClientProtocol.authPlain(username: "desk", password: "s3cret") == Data("\0desk\0s3cret".utf8).base64EncodedString())
        #expect(SMTPClientError.rejected(step: "RCPT", reply: SMTPReply(550, "no")).isPermanent)
        #expect(!SMTPClientError.rejected(step: "RCPT", reply: SMTPReply(451, "later")).isPermanent)
    }
}
