import CasebookMail
import Foundation
import Testing

@Suite("Automatic mail")
struct AutomaticMailTests {
    static func parse(_ headers: String, body: String = "text") -> MailMessage {
        MailParser.parse(Data((headers + "\r\n\r\n" + body).utf8))
    }

    @Test("bounces, auto-replies and bulk mail are recognised", arguments: [
        ("From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered", AutomaticMail.bounce),
        ("From: a@b.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x", .bounce),
        ("From: a@b.example\r\nAuto-Submitted: auto-replied", .autoReply),
        ("From: a@b.example\r\nAuto-Submitted: auto-generated (daily)", .autoReply),
        ("From: a@b.example\r\nX-Auto-Response-Suppress: All", .autoReply),
        ("From: a@b.example\r\nSubject: Automatic reply: Printer", .autoReply),
        ("From: a@b.example\r\nPrecedence: bulk", .bulk),
        ("From: a@b.example\r\nPrecedence: junk", .bulk),
        ("From: a@b.example\r\nList-Id: <announce.example>", .bulk),
    ] as [(String, AutomaticMail)])
    func recognised(headers: String, kind: AutomaticMail) {
        #expect(AutomaticMail.classify(Self.parse(headers)) == kind)
    }

    @Test("mail a person wrote is not automatic", arguments: [
        "From: a@b.example\r\nSubject: Help",
        "From: a@b.example\r\nAuto-Submitted: no\r\nSubject: Help",
        "From: postmaster-team@b.example\r\nSubject: Help",
    ])
    func personal(headers: String) {
        #expect(AutomaticMail.classify(Self.parse(headers)) == nil)
    }
}
