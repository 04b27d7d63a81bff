@testable import CasebookMail
@testable import CasebookServer
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import Testing
import Vapor

@Suite("Mailboxes signed in with OAuth2 (XOAUTH2 against Dovecot)")
struct OAuthMailAccountTests {
    static func body(_ server: TestMailServer, _ tokens: TestTokenServer, _ extra: [String: Any] = [:]) -> [String: Any] {
        var body = MailAccountTests.accountBody(server, ["auth": "oauth2", "oauth_token_url": tokens.tokenURL, "oauth_client_id": TestTokenServer.clientID,
                                                         "oauth_client_secret": TestTokenServer.clientSecret,
                                                         "oauth_refresh_token": TestTokenServer.firstRefreshToken,
                                                         "oauth_scope": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access"])
        body["password"] = nil
        return body.merging(extra) { _, new in new }
    }

    @Test("access tokens are had with the refresh token, cached, replaced when the server refuses one, and a dead refresh token is reported clearly",
          arguments: TestDatabase.all)
    func xoauth2(database: TestDatabase) async throws {
        let tokens = try await TestTokenServer.start()
        guard let server = try TestMailServer.start(introspection: tokens.introspectionURL) else { await tokens.stop(); return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            for (field, value) in [("oauth_token_url", "http://tokens.example.com/token"), ("oauth_token_url", "https://169.254.169.254/token"),
                                   ("oauth_client_id", "")] {
                let refused = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.body(server, tokens, [field: value]))
                #expect(refused.status == .unprocessableEntity && refused.text.contains(field), "\(field): \(refused.text)")
            }
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.body(server, tokens))
            #expect(created.status == .created && created.json["auth"] as? String == "oauth2", "\(created.text)")
            #expect(created.json["oauth_refresh_token_set"] as? Bool == true && !created.text.contains(TestTokenServer.firstRefreshToken)
                    && !created.text.contains(TestTokenServer.clientSecret))
            let id = try #require(created.json["id"] as? String)

            try server.deliver(MailAccountTests.mail(from: "kim@acme.example", subject: "Signed in with a token"))
            let tested = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin)
            #expect(tested.json["ok"] as? Bool == true, "\(tested.text)")
            let fetched = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(fetched.json["imported"] as? Int == 1, "\(fetched.text)")
            #expect(tokens.state.withLockedValue { $0.tokenRequests } == 1, "the token is kept while it lasts")
            let shown = try await app.call(.GET, "/api/v1/mail-accounts/\(id)", token: f.admin)
            #expect(shown.json["oauth_token_expires_at"] != nil)
            // The provider replaced the refresh token when it was used; the new one is the one kept.
            let sql = try #require(app.db as? any SQLDatabase)
            let kept = try await sql.select().column("oauth_refresh_token").from("mail_accounts").first()?.decode(column: "oauth_refresh_token", as: String.self)
            #expect(kept == tokens.state.withLockedValue { $0.refreshToken } && kept != TestTokenServer.firstRefreshToken)

            // Revoked early at the provider: the mail server refuses it, and a fresh one is fetched at once.
            tokens.revokeAccessTokens()
            let afterRevoke = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin)
            #expect(afterRevoke.json["ok"] as? Bool == true && tokens.state.withLockedValue { $0.tokenRequests } == 2, "\(afterRevoke.text) \(tokens.state.withLockedValue { $0.tokenRequests })")

            // Consent withdrawn: the admin is told what the provider said.
            tokens.revokeEverything()
            let dead = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin)
            let message = dead.json["message"] as? String ?? ""
            #expect(dead.json["ok"] as? Bool == false && message.contains("access token") && message.contains("invalid_grant"), "\(dead.text)")
            let failedFetch = try await app.call(.POST, "/api/v1/mail-accounts/\(id)/fetch", token: f.admin)
            #expect(failedFetch.status == .badGateway && failedFetch.isProblem)

            // A new refresh token typed in by the admin is used from then on.
            tokens.state.withLockedValue { $0.refreshToken = "rt-from-admin" }
            let renewed = try await app.call(.PATCH, "/api/v1/mail-accounts/\(id)", token: f.admin, json: ["oauth_refresh_token": "rt-from-admin"])
            #expect(renewed.status == .ok)
            #expect(try await app.call(.POST, "/api/v1/mail-accounts/\(id)/test", token: f.admin).json["ok"] as? Bool == true)

            // POP3 signs in the same way (AUTH XOAUTH2).
            let pop = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: Self.body(server, tokens, [
                "name": "POP3 with a token", "protocol": "pop3", "port": server.port + 2, "oauth_refresh_token": tokens.state.withLockedValue { $0.refreshToken }]))
            let popID = try #require(pop.json["id"] as? String, "\(pop.text)")
            let popTest = try await app.call(.POST, "/api/v1/mail-accounts/\(popID)/test", token: f.admin)
            #expect(popTest.json["ok"] as? Bool == true, "\(popTest.text)")
        }
        await tokens.stop()
    }
}

@Suite("The outgoing relay signed in with a mailbox's OAuth2 tokens")
struct OAuthRelayTests {
    @Test("mail goes out through SMTP submission with XOAUTH2; a revoked token is replaced; a dead refresh token keeps the mail queued with the provider's words")
    func relay() async throws {
        let tokens = try await TestTokenServer.start()
        let received = NIOLockedValueBox<[SMTPEnvelope]>([])
        let policy = SMTPServerSession.Policy(hostname: "smarthost.test", maxMessageBytes: 1_000_000, offersTLS: false, requiresTLS: false,
                                              acceptsRecipient: { _ in true })
        let target = try await SMTPListener.start(host: "127.0.0.1", port: 0, policy: policy, tls: nil, group: MultiThreadedEventLoopGroup.singleton) { envelope, _, _ in
            received.withLockedValue { $0.append(envelope) }
            return "ok"
        }
        guard let server = try TestMailServer.start(introspection: tokens.introspectionURL, relay: target.port) else {
            await target.stop()
            await tokens.stop()
            return
        }
        defer { server.stop() }
        try await withCasebook(.sqlite, configure: { configuration in
            configuration.outbound.transport = .smtp
            configuration.outbound.relayHost = "localhost"
            configuration.outbound.relayPort = server.port + 3
            configuration.outbound.relayTLS = .required
            configuration.outbound.verifyCertificates = false
            configuration.outbound.relayOAuthMailbox = "Support mailbox"
        }) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/mail-accounts", token: f.admin, json: OAuthMailAccountTests.body(server, tokens))
            #expect(created.status == .created, "\(created.text)")
            func status() async throws -> [(String, String?)] {
                try await (app.db as! any SQLDatabase).select().columns("status", "last_error").from("outbound_messages").orderBy("created_at").all()
                    .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "last_error", as: String?.self)) }
            }
            _ = try await f.openCase(app, subject: "Sent through the relay")
            _ = await app.jobs.runDue()
            let first = try await status()
            #expect(first.first?.0 == "sent", "\(first)")
            #expect(received.withLockedValue { $0.first?.recipients } == ["carla@acme.example"])

            tokens.revokeAccessTokens()
            _ = try await f.openCase(app, subject: "After the token was revoked")
            _ = await app.jobs.runDue()
            let second = try await status()
            #expect(second.last?.0 == "sent" && received.withLockedValue { $0.count } == 2, "\(second)")

            tokens.revokeEverything()
            _ = try await f.openCase(app, subject: "Consent withdrawn")
            _ = await app.jobs.runDue()
            let last = try await status().last
            #expect(last?.0 != "sent" && (last?.1 ?? "").contains("invalid_grant"), "\(String(describing: last))")
            #expect(received.withLockedValue { $0.count } == 2)
        }
        await target.stop()
        await tokens.stop()
    }
}
