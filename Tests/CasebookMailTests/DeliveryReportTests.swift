import CasebookMail
import Foundation
import Testing

@Suite("Delivery status notifications")
struct DeliveryReportTests {
    static func report(_ blocks: String) -> Data {
        Data("""
        From: MAILER-DAEMON@mx.example\r
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain\r
        \r
        Sorry.\r
        --b\r
        Content-Type: message/delivery-status\r
        \r
        Reporting-MTA: dns; mx.example\r
        Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000\r
        \r
        \(blocks)\r
        --b--\r
        """.utf8)
    }

    @Test("5.x.x is a hard bounce, 4.x.x a soft one, delayed nothing; each recipient of a report is read with its words")
    func outcomes() {
        let parsed = DeliveryReport.parse(Self.report("""
            Original-Recipient: rfc822;Ann@Acme.example\r
            Final-Recipient: rfc822; ann@acme.example\r
            Action: failed\r
            Status: 5.1.1 (bad destination mailbox address)\r
            Diagnostic-Code: smtp; 550 5.1.1 <ann@acme.example>: Recipient address rejected\r
            \r
            Final-Recipient: rfc822; bob@acme.example\r
            Action: failed\r
            Status: 4.2.2\r
            Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\r
            \r
            Final-Recipient: rfc822; cy@acme.example\r
            Action: delayed\r
            Status: 4.4.1\r
            """))
        #expect(parsed.recipients.map(\.address) == ["ann@acme.example", "bob@acme.example", "cy@acme.example"])
        #expect(parsed.recipients.map(\.outcome) == [.hard, .soft, .none])
        #expect(parsed.recipients[0].status == "5.1.1" && parsed.recipients[0].diagnostic?.contains("Recipient address rejected") == true)
    }

    @Test("a report without a status but marked failed is hard; mail that is no report yields no recipients")
    func edges() {
        #expect(DeliveryReport.parse(Self.report("Final-Recipient: rfc822; dee@acme.example\r\nAction: failed\r\n")).recipients.map(\.outcome) == [.hard])
        #expect(DeliveryReport.parse(Data("Subject: hello\r\n\r\nStatus: fine, Action: none".utf8)).recipients.isEmpty)
    }
}
