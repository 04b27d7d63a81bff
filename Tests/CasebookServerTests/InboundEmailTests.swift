@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Inbound email")
struct InboundEmailTests {
    static func mail(from: String = "Dana Doe <dana@acme.example>", to: String = "support@casebook.example",
                     subject: String = "Scanner offline", messageID: String = "<m1@acme.example>", extra: String = "",
                     body: String = "The scanner on floor 3 is offline since 9:00.") -> String {
        "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\nMessage-ID: \(messageID)\r\n\(extra)Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n\r\n\(body)\r\n"
    }

    static func deliver(_ app: Application, _ raw: String, token: String) async throws -> APIResponse {
        try await app.call(.POST, "/api/v1/inbound/email", token: token, raw: raw, headers: [("Content-Type", "message/rfc822")])
    }

    @Test("a new mail opens a case for a new contact in the organisation that owns the domain", arguments: TestDatabase.all)
    func newCase(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let receipt = try await Self.deliver(app, Self.mail(), token: f.admin)
            #expect(receipt.status == .accepted, "\(receipt.text)")
            #expect(receipt.json["status"] as? String == "processed")
            #expect(receipt.json["case_reference"] as? String == "CB-10000")
            let found = try await app.call(.GET, "/api/v1/cases/CB-10000", token: f.agent).json
            #expect(found["channel"] as? String == "email" && found["subject"] as? String == "Scanner offline")
            #expect(found["organisation_id"] as? String == f.organisationID)
            let people = try await app.call(.GET, "/api/v1/users?organisation_id=\(f.organisationID)", token: f.agent).list
            #expect(people.contains { $0["email"] as? String == "dana@acme.example" && $0["name"] as? String == "Dana Doe" })
        }
    }

    @Test("the same mail twice, or copied to two of our addresses, is applied once", arguments: TestDatabase.all)
    func deduplication(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.deliver(app, Self.mail(), token: f.admin)
            let again = try await Self.deliver(app, Self.mail(), token: f.admin)
            #expect(again.status == .accepted && again.json["duplicate"] as? Bool == true)
            let copy = try await Self.deliver(app, Self.mail(to: "help@casebook.example"), token: f.admin)
            #expect(copy.status == .accepted)
            #expect(try await rowCount(app, "cases") == 1)
            #expect(try await rowCount(app, "messages") == 1)
            #expect(try await rowCount(app, "inbound_messages") == 2)
        }
    }

    @Test("replies thread by In-Reply-To or References, then by the subject tag", arguments: TestDatabase.all)
    func threading(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.deliver(app, Self.mail(), token: f.admin)
            let reply = try await Self.deliver(app, Self.mail(subject: "Re: Scanner offline", messageID: "<m2@acme.example>",
                                                              extra: "In-Reply-To: <m1@acme.example>\r\n", body: "Still offline."), token: f.admin)
            #expect(reply.json["case_reference"] as? String == "CB-10000")
            let byReferences = try await Self.deliver(app, Self.mail(subject: "Another", messageID: "<m3@acme.example>",
                                                                     extra: "References: <x@else.example> <m2@acme.example>\r\n"), token: f.admin)
            #expect(byReferences.json["case_reference"] as? String == "CB-10000")
            let byTag = try await Self.deliver(app, Self.mail(subject: "RE: [CB-10000] update", messageID: "<m4@acme.example>"), token: f.admin)
            #expect(byTag.json["case_reference"] as? String == "CB-10000")
            let fresh = try await Self.deliver(app, Self.mail(subject: "Different problem [XX-10000]", messageID: "<m5@acme.example>"), token: f.admin)
            #expect(fresh.json["case_reference"] as? String == "CB-10001")
            let messages = try await app.call(.GET, "/api/v1/cases/CB-10000/messages", token: f.agent).list
            #expect(messages.count == 4)
            #expect(messages.allSatisfy { $0["channel"] as? String == "email" })
        }
    }

    @Test("attachments in mail are stored with the message; unknown domains make a contact without organisation")
    func attachmentsAndUnknownSender() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let raw = """
                From: stranger@nowhere.example\r
                Subject: Log attached\r
                Message-ID: <a1@nowhere.example>\r
                Content-Type: multipart/mixed; boundary="b"\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                See log.\r
                --b\r
                Content-Type: text/plain; name="app.log"\r
                Content-Disposition: attachment; filename="app.log"\r
                \r
                line 1\r
                --b--\r

                """
            let receipt = try await Self.deliver(app, raw, token: f.admin)
            #expect(receipt.json["status"] as? String == "processed")
            let messages = try await app.call(.GET, "/api/v1/cases/CB-10000/messages", token: f.agent).list
            let files = messages.first?["attachments"] as? [[String: Any]] ?? []
            #expect(files.first?["filename"] as? String == "app.log")
            let stranger = try await app.call(.GET, "/api/v1/users?role=customer", token: f.agent).list
                .first { $0["email"] as? String == "stranger@nowhere.example" }
            #expect(stranger != nil && stranger?["organisation_id"] == nil)
        }
    }

    @Test("a message that cannot be applied is kept, listed as failed, and can be reprocessed")
    func failures() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let receipt = try await Self.deliver(app, "Subject: no sender\r\n\r\nbody\r\n", token: f.admin)
            #expect(receipt.status == .accepted && receipt.json["status"] as? String == "failed")
            let failed = try await app.call(.GET, "/api/v1/inbound/email?status=failed", token: f.admin).list
            #expect(failed.count == 1 && (failed.first?["error"] as? String)?.isEmpty == false)
            let id = receipt.json["id"] as? String ?? ""
            let again = try await app.call(.POST, "/api/v1/inbound/email/\(id)/reprocess", token: f.admin)
            #expect(again.status == .ok && again.json["status"] as? String == "failed")
            #expect((again.json["error"] as? String)?.contains("sender") == true)
            let jobs = try await app.call(.GET, "/api/v1/jobs?kind=email.process", token: f.admin).list
            #expect(jobs.count == 1 && jobs.first?["status"] as? String == "queued" && jobs.first?["attempts"] as? Int == 1,
                    "the reprocess started a fresh set of attempts and left the next one queued")
            #expect(try await rowCount(app, "cases") == 0)
            let empty = try await app.call(.POST, "/api/v1/inbound/email", token: f.admin, raw: "")
            #expect(empty.status == .unprocessableEntity && empty.isProblem)
        }
    }

    @Test("only admins (a mail server's integration token) may feed mail in")
    func authorisation() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            for token in [f.customer, f.agent, f.manager] {
                let refused = try await Self.deliver(app, Self.mail(), token: token)
                #expect(refused.status == .forbidden && refused.isProblem)
            }
            #expect(try await rowCount(app, "inbound_messages") == 0)
            #expect(try await app.call(.GET, "/api/v1/inbound/email", token: f.agent).status == .forbidden)
        }
    }
}

@Suite("Inbound email: loops and noise")
struct InboundNoiseTests {
    @Test("automatic mail never opens a case; on a known case it becomes an internal note without reopening")
    func automatic() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let bounce = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(
                from: "MAILER-DAEMON@mx.acme.example", subject: "Undelivered Mail", messageID: "<b1@mx.acme.example>"), token: f.admin)
            #expect(bounce.status == .accepted && bounce.json["case_reference"] == nil)
            #expect(try await rowCount(app, "cases") == 0)
            _ = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(), token: f.admin)
            _ = try await app.call(.PATCH, "/api/v1/cases/CB-10000", token: f.agent, json: ["version": 1, "status": "solved"])
            let away = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(
                subject: "Automatic reply: [CB-10000] Scanner offline", messageID: "<ooo@acme.example>",
                extra: "Auto-Submitted: auto-replied\r\n", body: "I am away until Monday."), token: f.admin)
            #expect(away.json["case_reference"] as? String == "CB-10000")
            let state = try await app.call(.GET, "/api/v1/cases/CB-10000", token: f.agent).json
            #expect(state["status"] as? String == "solved", "an out-of-office does not reopen the case")
            let customerView = try await app.call(.GET, "/api/v1/cases/CB-10000/messages", token: f.admin).list
            #expect(customerView.last?["visibility"] as? String == "internal")
            let ignored = try await app.call(.GET, "/api/v1/inbound/email?status=ignored_bounce", token: f.admin).list
            #expect(ignored.count == 1)
        }
    }

    @Test("a sender writing faster than a person can is held as a loop")
    func rateLimit() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            for index in 0..<(ReceiveEmail.rateLimit + 3) {
                _ = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(
                    subject: "Loop \(index)", messageID: "<loop\(index)@acme.example>"), token: f.admin)
            }
            #expect(try await rowCount(app, "cases") == ReceiveEmail.rateLimit)
            let held = try await app.call(.GET, "/api/v1/inbound/email?status=rate_limited", token: f.admin).list
            #expect(held.count == 3)
        }
    }
}
