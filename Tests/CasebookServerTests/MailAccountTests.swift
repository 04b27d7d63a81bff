@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Mailboxes fetched over IMAP (Dovecot)")
struct MailAccountTests {
    static func accountBody(_ server: TestMailServer, _ extra: [String: Any] = [:]) -> [String: Any] {
        ["name": "Support mailbox", "host": "localhost", "port": server.imapsPort, "security": "tls", "ca_certificates": server.caPEM,
         "username": "support", "password": TestMailServer.password].merging(extra) { _, new in new }
    }

    static func mail(from sender: String, subject: String, body: String = "Our VPN drops every hour.") -> String {
        "From: \(sender)\r\nTo: support@cb.example\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@customer.example>\r\n"
            + "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\n\r\n\(body)\r\n"
    }

    static func inbound(_ app: Application, status: String) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("inbound_messages")
            .where("status", .equal, status).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    @Test("new mail becomes cases once; applied mail is marked read, mail that cannot be applied stays unread and is listed as failed; nothing twice after a lost position",
          arguments: TestDatabase.all)
    func fetchOnDemand(database: TestDatabase) async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            try server.deliver(Self.mail(from: "Ann Customer <ann@acme.example>", subject: "VPN drops hourly"))
            try server.deliver(Self.mail(from: "bo@globex.example", subject: "Invoice question"))
            try server.deliver("To: support@cb.example\r\nSubject: no sender at all\r\n\r\nWho sent this?\r\n")
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.accountBody(server))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["password_set"] as? Bool == true && !created.text.contains(TestMailServer.password))
            let id = try #require(created.json["id"] as? String)

            let tested = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin)
            #expect(tested.json["ok"] as? Bool == true && tested.json["messages"] as? Int == 3 && tested.json["idle"] as? Bool == true, "\(tested.text)")

            let fetched = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(fetched.status == .ok && fetched.json["imported"] as? Int == 2 && fetched.json["failed"] as? Int == 1, "\(fetched.text)")
            let onServer = try server.messages()
            #expect(onServer.filter { $0.flags.contains("S") }.count == 2)
            #expect(onServer.contains { !$0.flags.contains("S") && $0.text.contains("no sender at all") }, "the failed one is left unread")
            let processed = try await Self.inbound(app, status: "processed")
            let failed = try await Self.inbound(app, status: "failed")
            #expect(processed == 2 && failed == 1)
            let cases = try await app.call(.GET, "/api/v1/cases?q=VPN", token: f.agent)
            #expect(cases.text.contains("VPN drops hourly"))

            try server.deliver(Self.mail(from: "ann@acme.example", subject: "Also the printer"))
            let second = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(second.json["imported"] as? Int == 1 && second.json["failed"] as? Int == 0, "\(second.text)")
            let third = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(third.json["imported"] as? Int == 0 && third.json["duplicates"] as? Int == 0)

            // A fetcher that stored mail and died before recording its place reads it again: nothing is applied twice.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update("mail_accounts").set("last_uid", to: 0).run()
            let again = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(again.json["imported"] as? Int == 0 && again.json["duplicates"] as? Int == 3, "\(again.text)")
            #expect(try await rowCount(app, "inbound_messages") == 4)

            let shown = try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin)
            #expect(shown.json["imported_count"] as? Int == 4 && shown.json["failed_count"] as? Int == 1 && (shown.json["last_uid"] as? Int ?? 0) >= 4 && shown.json["uid_validity"] != nil, "\(shown.text)")
            #expect((shown.json["last_error"] as? String ?? "").contains("left on the server"))
        }
    }

    @Test("a first fetch takes unread mail only unless told otherwise; after import mail can be moved to a folder or deleted")
    func firstImportAndAfterImport() async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            try server.deliver(Self.mail(from: "old@acme.example", subject: "Read long ago"))
            let prepare = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.accountBody(server, ["first_import": "all", "active": false]))
            _ = prepare
            // Mark the first message read on the server, as a person reading the mailbox would have.
            let box = "\(server.folder)/mail/support"
            for file in try FileManager.default.contentsOfDirectory(atPath: "\(box)/new") {
                try FileManager.default.moveItem(atPath: "\(box)/new/\(file)", toPath: "\(box)/cur/\(file):2,S")
            }
            try server.deliver(Self.mail(from: "new@acme.example", subject: "Still waiting"))

            let unseen = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                            json: Self.accountBody(server, ["name": "Unread only", "after_import": "move", "move_to": "Done in Casebook"]))
            let unseenID = try #require(unseen.json["id"] as? String, "\(unseen.text)")
            let first = try await app.call(.POST, "/api/v1/mail-accounts/\(unseenID)/fetch", token: f.admin)
            #expect(first.json["imported"] as? Int == 1, "\(first.text)")
            #expect(try server.messages().count == 1 && (try server.messages(folder: "Done in Casebook")).count == 1, "moved to the folder, made when missing")
            #expect(try await rowCount(app, "inbound_messages") == 1, "the mail read long ago is not taken")
            try server.deliver(Self.mail(from: "third@acme.example", subject: "Another"))
            #expect(try await app.call(.POST, "/api/v1/mail-accounts/\(unseenID)/fetch", token: f.admin).json["imported"] as? Int == 1)
            _ = try await app.call(.DELETE, "/api/v1/mail-accounts/\(unseenID)", token: f.admin)

            let all = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                         json: Self.accountBody(server, ["name": "Everything", "first_import": "all", "after_import": "delete"]))
            let allID = try #require(all.json["id"] as? String)
            let everything = try await app.call(.POST, "/api/v1/mail-accounts/\(allID)/fetch", token: f.admin)
            #expect(everything.json["imported"] as? Int == 1 && everything.json["duplicates"] as? Int == 0, "only the old one is new here: \(everything.text)")
            #expect(try server.messages().isEmpty, "deleted from the server once applied")
            #expect(try await rowCount(app, "inbound_messages") == 3)
        }
    }

    @Test("settings are checked when saved; a wrong password, an unknown certificate and a closed port are reported clearly; only admins")
    func settingsAndFailures() async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let bad: [(String, Any, String)] = [("host", "not a host", "host"), ("port", 70_000, "port"), ("security", "ssl", "security"),
                                                 ("security", "none", "security"), ("after_import", "move", "move_to"), ("poll_seconds", 1, "poll_seconds"),
                                                 ("ca_certificates", "not a certificate", "ca_certificates"), ("username", "two\nlines", "username"),
                                                 ("first_import", "some", "first_import"), ("host", "169.254.169.254", "host")]
            for (field, value, named) in bad {
                var body = Self.accountBody(server)
                body["host"] = field == "security" ? "imap.example.com" : body["host"]
                body[field] = value
                let refused = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: body)
                #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.text.contains(named), "\(field): \(refused.text)")
            }
            #expect(try await rowCount(app, "mail_accounts") == 0)
            #expect(try await app.call(.POST, "/api/v1/mail-accounts", token: f.agent, json: Self.accountBody(server)).status.code >= 403)

            let starttls = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                              json: Self.accountBody(server, ["security": "starttls", "port": server.port]))
            let starttlsID = try #require(starttls.json["id"] as? String, "\(starttls.text)")
            #expect(try await app.call(.POST, "/api/v1/mail-accounts/\(starttlsID)/test", token: f.admin).json["ok"] as? Bool == true)

            let wrong = try await app.call(.PATCH, "/api/v1/mail-accounts/\(starttlsID)", token: f.admin, json: ["password": "not-it"])
            #expect(wrong.status == .ok && wrong.json["password_set"] as? Bool == true)
            let refused = try await app.call(.POST, "/api/v1/mail-accounts/\(starttlsID)/test", token: f.admin)
            #expect(refused.json["ok"] as? Bool == false && (refused.json["message"] as? String ?? "").contains("refused sign-in"), "\(refused.text)")
            let fetch = try await app.call(.POST, "/api/v1/mail-accounts/\(starttlsID)/fetch", token: f.admin)
            #expect(fetch.status == .badGateway && fetch.isProblem, "\(fetch.text)")
            let noted = try await app.call(.GET, "/api/v1/mail-accounts/\(starttlsID)", token: f.admin)
            #expect((noted.json["last_error"] as? String ?? "").contains("refused sign-in"))

            let untrusted = try await app.call(.PATCH, "/api/v1/mail-accounts/\(starttlsID)", token: f.admin,
                                               json: ["password": TestMailServer.password, "ca_certificates": ""])
            #expect(untrusted.status == .ok)
            let unknownCA = try await app.call(.POST, "/api/v1/mail-accounts/\(starttlsID)/test", token: f.admin)
            #expect(unknownCA.json["ok"] as? Bool == false && (unknownCA.json["message"] as? String ?? "").contains("secure connection"), "\(unknownCA.text)")

            _ = try await app.call(.PATCH, "/api/v1/mail-accounts/\(starttlsID)", token: f.admin, json: ["host": "127.0.0.1", "port": 1])
            let closed = try await app.call(.POST, "/api/v1/mail-accounts/\(starttlsID)/test", token: f.admin)
            #expect(closed.json["ok"] as? Bool == false && (closed.json["message"] as? String ?? "").contains("could not reach"), "\(closed.text)")
        }
    }

    @Test("the watcher holds the folder in IDLE: 500 messages delivered while it runs are each applied once, through a dropped connection and a restart",
          arguments: TestDatabase.all)
    func watcher(database: TestDatabase) async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin,
                                             json: Self.accountBody(server, ["first_import": "all", "after_import": "move", "move_to": "Done"]))
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            func start() -> MailboxWatcher {
                let watcher = MailboxWatcher(services: app.casebook, runner: app.jobs, group: app.eventLoopGroup, client: app.client, logger: app.logger)
                watcher.start()
                return watcher
            }
            func imported() async throws -> Int { try await rowCount(app, "inbound_messages") }
            func waitFor(_ count: Int, within seconds: Double) async throws -> Double {
                let started = Date()
                while try await imported() < count, Date().timeIntervalSince(started) < seconds { try await Task.sleep(for: .milliseconds(50)) }
                return Date().timeIntervalSince(started)
            }
            var watcher = start()
            // Once its first pass is done it waits in IDLE, and a new message arrives within seconds (alone: well under one; the
            // suite runs beside it on two cores, hence the margin). Without IDLE it would wait for the next look, 20 s away.
            let started = Date()
            while try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin).json["last_fetch_at"] == nil, Date().timeIntervalSince(started) < 30 {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(500))
            try server.deliver(Self.mail(from: "first@acme.example", subject: "Hello"))
            let latency = try await waitFor(1, within: 20)
            let first = try await imported()
            #expect(first == 1 && latency < 10, "took \(latency) s (the next look without IDLE would be 20 s away)")

            for index in 0..<499 {
                try server.deliver(Self.mail(from: "sender\(index)@customer\(index % 40).example", subject: "Request \(index)"))
                if index == 150 { try server.kick() }
                if index == 300 {
                    await watcher.stop()
                    watcher = start()
                }
            }
            let took = try await waitFor(500, within: 120)
            // Each round is moved once all of it is applied; beside the rest of the suite on two cores that can take a minute.
            let moving = Date()
            while try server.messages().count > 0, Date().timeIntervalSince(moving) < 90 { try await Task.sleep(for: .milliseconds(100)) }
            await watcher.stop()
            #expect(try await imported() == 500, "after \(took) s")
            #expect(try await Self.inbound(app, status: "processed") == 500)
            #expect(try await rowCount(app, "cases") == 500)
            #expect(try server.messages().isEmpty && (try server.messages(folder: "Done")).count == 500)
            let shown = try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin)
            #expect(shown.json["imported_count"] as? Int == 500 && shown.json["fetched_by"] == nil, "\(shown.text)")
        }
    }

    @Test("a mailbox that keeps failing is reported to the admins by mail once per outage, and recovers by itself once fixed")
    func outageNotice() async throws {
        guard let server = try TestMailServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.accountBody(server, ["password": "expired-password"]))
            let id = try #require(created.json["id"] as? String)
            let watcher = MailboxWatcher(services: app.casebook, runner: app.jobs, group: app.eventLoopGroup, client: app.client, logger: app.logger,
                                         alertAfter: 0)
            watcher.start()
            let sql = try #require(app.db as? any SQLDatabase)
            func notices() async throws -> [String] {
                try await sql.select().column("subject").from("outbound_messages").where("recipients", .equal, "admin@cb.example").all()
                    .map { try $0.decode(column: "subject", as: String.self) }
            }
            let started = Date()
            while try await notices().isEmpty, Date().timeIntervalSince(started) < 20 { try await Task.sleep(for: .milliseconds(200)) }
            #expect(try await notices() == ["Casebook cannot fetch mail from Support mailbox"])
            try await Task.sleep(for: .seconds(6))
            #expect(try await notices().count == 1, "once per outage, not at every retry")
            let failing = try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin)
            #expect((failing.json["last_error"] as? String ?? "").contains("refused sign-in"))

            try server.deliver(Self.mail(from: "waiting@acme.example", subject: "Sent during the outage"))
            _ = try await app.call(.PATCH, "/api/v1/mail-accounts/\(id)", token: f.admin, json: ["password": TestMailServer.password])
            // The pass that works fetches what arrived meanwhile and then clears the problem.
            let fixed = Date()
            func recovered() async throws -> Bool {
                try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin).json["last_error"] == nil
            }
            while try await !recovered(), Date().timeIntervalSince(fixed) < 90 { try await Task.sleep(for: .milliseconds(200)) }
            await watcher.stop()
            #expect(try await recovered())
            #expect(try await rowCount(app, "inbound_messages") == 1, "what arrived during the outage is fetched once it works")
        }
    }
}
