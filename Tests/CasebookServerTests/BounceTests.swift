@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Bounces: hard ones stop the mail, soft ones are tried again")
struct BounceTests {
    static func report(about ours: String, to address: String = "carla@acme.example", action: String = "failed", status: String,
                       diagnostic: String) -> String {
        """
        From: MAILER-DAEMON@mx.acme.example\r
        To: support@casebook.localhost\r
        Subject: Undelivered Mail Returned to Sender\r
        Message-ID: <dsn-\(UUID().uuidString)@mx.acme.example>\r
        Auto-Submitted: auto-replied\r
        MIME-Version: 1.0\r
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain\r
        \r
        Your message could not be delivered.\r
        --b\r
        Content-Type: message/delivery-status\r
        \r
        Reporting-MTA: dns; mx.acme.example\r
        \r
        Final-Recipient: rfc822; \(address)\r
        Action: \(action)\r
        Status: \(status)\r
        Diagnostic-Code: smtp; \(diagnostic)\r
        --b\r
        Content-Type: text/rfc822-headers\r
        \r
        Message-ID: <\(ours)>\r
        --b--\r
        """
    }

    static func row(_ app: Application, _ messageID: String) async throws -> (status: String, error: String?) {
        let row = try await (app.db as! any SQLDatabase).select().columns("status", "last_error").from("outbound_messages")
            .where("message_id", .equal, messageID).first()
        return (try row?.decode(column: "status", as: String.self) ?? "", try row?.decode(column: "last_error", as: String?.self))
    }

    @Test("after a 5.1.1 report no more mail goes to the address: the next reply is kept as suppressed, agents see the address listed, and clearing it lets mail go again",
          arguments: TestDatabase.all)
    func hardBounce(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let acknowledgement = try await OutboundEmailTests.outbox(app)[0].messageID
            let dsn = Self.report(about: acknowledgement, status: "5.1.1", diagnostic: "550 5.1.1 <carla@acme.example>: mailbox unknown")
            #expect(try await InboundEmailTests.deliver(app, dsn, token: f.admin).status == .accepted)
            #expect(try await Self.row(app, acknowledgement).status == "bounced")

            let listed = try await app.call(.GET, "/api/v1/bounced-addresses", token: f.agent)
            #expect(listed.list.count == 1 && listed.list.first?["address"] as? String == "carla@acme.example" && listed.list.first?["status"] as? String == "5.1.1",
                    "\(listed.text)")
            #expect(try await app.call(.GET, "/api/v1/bounced-addresses", token: f.customer).status == .forbidden)

            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Any news?"]).status == .created)
            let reply = try await OutboundEmailTests.outbox(app).last!
            #expect(reply.kind == "reply" && reply.status == "suppressed")
            #expect(try await Self.row(app, reply.messageID).error?.contains("bounced") == true)
            let suppressed = try await app.call(.GET, "/api/v1/outbound/email?status=suppressed", token: f.admin)
            #expect(suppressed.list.count == 1, "\(suppressed.text)")

            let id = try #require(listed.list.first?["id"] as? String)
            #expect(try await app.call(.DELETE, "/api/v1/bounced-addresses/\(id)", token: f.manager).status == .forbidden)
            #expect(try await app.call(.DELETE, "/api/v1/bounced-addresses/\(id)", token: f.agent).status == .noContent)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Mailbox fixed?"]).status == .created)
            #expect(try await OutboundEmailTests.outbox(app).last!.status != "suppressed")
        }
    }

    @Test("a 4.x.x report (mailbox full) sends the message again later, a few times, and then counts it bounced; a delayed notice changes nothing",
          arguments: TestDatabase.all)
    func softBounce(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app)
            let ours = try await OutboundEmailTests.outbox(app)[0].messageID
            let sql = app.db as! any SQLDatabase
            try await sql.update("outbound_messages").set("status", to: "sent").set("attempts", to: 1).where("message_id", .equal, ours).run()
            let delayed = Self.report(about: ours, action: "delayed", status: "4.4.1", diagnostic: "still trying")
            #expect(try await InboundEmailTests.deliver(app, delayed, token: f.admin).status == .accepted)
            #expect(try await Self.row(app, ours).status == "sent", "a delay is news, not a failure")

            let full = Self.report(about: ours, status: "4.2.2", diagnostic: "452 4.2.2 Mailbox full")
            #expect(try await InboundEmailTests.deliver(app, full, token: f.admin).status == .accepted)
            let retried = try await Self.row(app, ours)
            #expect(retried.status == "queued" && retried.error?.contains("Mailbox full") == true, "\(retried)")
            let id = try #require(try await sql.select().column("id").from("outbound_messages").where("message_id", .equal, ours).first()?
                .decode(column: "id", as: UUID.self))
            let job = try await sql.select().columns("status", "run_at").from("jobs").where("dedupe_key", .equal, Outbox.jobKey(id)).first()
            #expect(try job?.decode(column: "status", as: String.self) == "queued")
            #expect(try job?.decode(column: "run_at", as: Date.self) ?? .distantPast > Date().addingTimeInterval(10 * 60), "tried again later, not at once")
            #expect(try await app.call(.GET, "/api/v1/bounced-addresses", token: f.agent).list.isEmpty, "a full mailbox is not a dead address")

            try await sql.update("outbound_messages").set("status", to: "sent").set("attempts", to: Outbox.softBounceRetries.maxAttempts)
                .where("message_id", .equal, ours).run()
            #expect(try await InboundEmailTests.deliver(app, Self.report(about: ours, status: "4.2.2", diagnostic: "452 again"), token: f.admin).status == .accepted)
            #expect(try await Self.row(app, ours).status == "bounced", "after the last try it counts as bounced")
        }
    }
}
