@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Mailboxes fetched over POP3 (Dovecot)")
struct POP3MailAccountTests {
    @Test("POP3 over TLS: new mail becomes cases once and is deleted from the server when asked; mail that cannot be applied stays; POP3 refuses folders",
          arguments: TestDatabase.all)
    func pop3(database: TestDatabase) async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            try server.deliver(MailAccountTests.mail(from: "Pia <pia@acme.example>", subject: "Badge reader offline"))
            try server.deliver("To: support@cb.example\r\nSubject: nobody sent this\r\n\r\n?\r\n")
            let body = MailAccountTests.accountBody(server, ["protocol": "pop3", "port": server.port + 2, "after_import": "delete"])
            let moving = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: body.merging(["after_import": "move", "move_to": "Done"]) { _, new in new })
            #expect(moving.status == .unprocessableEntity && moving.text.contains("after_import"), "\(moving.text)")
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: body)
            #expect(created.status == .created && created.json["protocol"] as? String == "pop3", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let changed = try await app.call(.PATCH, "/api/v1/mail-accounts/\(id)", token: f.admin, json: ["protocol": "imap"])
            #expect(changed.status == .unprocessableEntity && changed.text.contains("protocol"))

            let tested = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin)
            #expect(tested.json["ok"] as? Bool == true && tested.json["messages"] as? Int == 2 && tested.json["idle"] as? Bool == false, "\(tested.text)")
            let fetched = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(fetched.json["imported"] as? Int == 1 && fetched.json["failed"] as? Int == 1, "\(fetched.text)")
            let left = try server.messages()
            #expect(left.count == 1 && left[0].text.contains("nobody sent this"), "applied mail deleted, the failed one left")
            let again = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(again.json["imported"] as? Int == 0 && again.json["failed"] as? Int == 0, "the failed one is not tried over and over: \(again.text)")

            try server.deliver(MailAccountTests.mail(from: "pia@acme.example", subject: "Second reader offline"))
            #expect(try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin).json["imported"] as? Int == 1)
            #expect(try server.messages().count == 1)
            let cases = try await app.call(.GET, "/api/v1/cases?q=reader", token: f.agent)
            #expect(cases.text.contains("Badge reader offline") && cases.text.contains("Second reader offline"))
            let shown = try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin)
            #expect(shown.json["imported_count"] as? Int == 3 && shown.json["failed_count"] as? Int == 1, "\(shown.text)")
        }
    }

    @Test("Fetch now while another fetcher holds the account: 202, and that fetcher looks at once instead of at its next poll",
          arguments: TestDatabase.all)
    func fetchNowNudgesTheWatcher(database: TestDatabase) async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let body = MailAccountTests.accountBody(server, ["protocol": "pop3", "port": server.port + 2, "after_import": "delete", "poll_seconds": 600])
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: body)
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            let watcher = MailboxWatcher(services: app.casebook, runner: app.jobs, group: app.eventLoopGroup, client: app.client, logger: app.logger)
            watcher.start()
            let started = Date()
            while try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin).json["last_fetch_at"] == nil, Date().timeIntervalSince(started) < 30 {
                try await Task.sleep(for: .milliseconds(100))
            }
            try server.deliver(MailAccountTests.mail(from: "pia@acme.example", subject: "Reader offline again"))
            let asked = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(asked.status == .accepted && asked.json["requested"] as? Bool == true, "\(asked.status) \(asked.text)")
            let nudged = Date()
            while try await rowCount(app, "inbound_messages") < 1, Date().timeIntervalSince(nudged) < 30 { try await Task.sleep(for: .milliseconds(100)) }
            let took = Date().timeIntervalSince(nudged)
            await watcher.stop()
            #expect(try await rowCount(app, "inbound_messages") == 1 && took < 15, "taken after \(took) s; the next poll was 600 s away")

            #expect(try await app.call(.PATCH, "/api/v1/mail-accounts/\(id)", token: f.admin, json: ["active": false]).status == .ok)
            let off = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(off.status == .conflict && off.isProblem)
        }
    }
}
