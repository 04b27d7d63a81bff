@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Password reset and sessions")
struct PasswordResetTests {
    /// The link's token in the newest reset mail to `address`, as the recipient would click it.
    static func mailedToken(_ app: Application, to address: String) async throws -> String? {
        let sql = app.db as! any SQLDatabase
        let rows = try await sql.raw("SELECT raw FROM outbound_messages WHERE kind = 'password_reset' AND recipients = \(bind: address) ORDER BY created_at DESC")
            .all()
        guard let raw = try rows.first?.decode(column: "raw", as: String.self) else { return nil }
        let text = raw.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
        guard let range = text.range(of: #"/password/reset\?token=[A-Za-z0-9_-]{43}"#, options: .regularExpression) else { return nil }
        return String(text[range].suffix(43))
    }

    @Test("asking answers the same for known and unknown addresses; the link works once, within the hour, and ends every session", arguments: TestDatabase.all)
    func reset(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let session = try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "a-good-password"])
            let cookie = String((session.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
            let known = try await app.call(.POST, "/api/v1/password-resets", json: ["email": "Carla@Acme.example"])
            let unknown = try await app.call(.POST, "/api/v1/password-resets", json: ["email": "nobody@acme.example"])
            #expect(known.status == .accepted && unknown.status == .accepted && known.text == unknown.text)
            #expect(try await Self.mailedToken(app, to: "nobody@acme.example") == nil)
            let token = try #require(try await Self.mailedToken(app, to: "carla@acme.example"))
            let sql = app.db as! any SQLDatabase
            let stored = try await sql.raw("SELECT token_hash FROM password_resets").all().map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(!stored.contains(token) && stored.contains(TokenHasher.hash(token)), "only the link's hash is kept")

            let weak = try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": token, "password": "short"])
            #expect(weak.status == .unprocessableEntity && weak.isProblem)
            let forged = try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": String(repeating: "x", count: 43), "password": "a-brand-new-password"])
            #expect(forged.status == .unprocessableEntity)
            let done = try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": token, "password": "a-brand-new-password"])
            #expect(done.status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookie)]).status == .unauthorized, "sessions end")
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .unauthorized, "tokens end")
            let twice = try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": token, "password": "another-new-password"])
            #expect(twice.status == .unprocessableEntity, "a link works once")
            #expect(try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "a-brand-new-password"]).status == .ok)

            // A link lapses after an hour, and a newer link replaces an older one.
            _ = try await app.call(.POST, "/api/v1/password-resets", json: ["email": "colin@acme.example"])
            let older = try #require(try await Self.mailedToken(app, to: "colin@acme.example"))
            clock.advance(61)
            _ = try await app.call(.POST, "/api/v1/password-resets", json: ["email": "colin@acme.example"])
            let newer = try #require(try await Self.mailedToken(app, to: "colin@acme.example"))
            #expect(older != newer)
            #expect(try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": older, "password": "colins-new-password"]).status == .unprocessableEntity)
            clock.advance(3_601)
            #expect(try await app.call(.POST, "/api/v1/password-resets/complete", json: ["token": newer, "password": "colins-new-password"]).status == .unprocessableEntity)

            // Asking is throttled per address, with the same answer shape.
            var statuses: [UInt] = []
            for _ in 0..<4 { statuses.append(try await app.call(.POST, "/api/v1/password-resets", json: ["email": "olga@globex.example"]).status.code) }
            #expect(statuses == [202, 202, 202, 429])
        }
    }

    @Test("the reset pages: the same note for any address, the form again on a mismatch, a spent link says so", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let form = try await app.call(.GET, "/password/forgot")
            var browser = BrowserSession(cookie: BrowserSession.cookie(from: form) ?? "", csrf: BrowserSession.token(in: form.text))
            let sent = try await browser.post(app, "/password/forgot", ["email": "carla@acme.example"])
            let ghost = try await browser.post(app, "/password/forgot", ["email": "ghost@acme.example"])
            #expect(sent.status == .ok && sent.text.contains("id=\"forgot-sent\"") && ghost.text.contains("id=\"forgot-sent\""))
            let token = try #require(try await Self.mailedToken(app, to: "carla@acme.example"))
            let page = try await browser.get(app, "/password/reset?token=\(token)")
            #expect(page.status == .ok && page.headers.first(name: "Referrer-Policy") == "same-origin")
            let mismatch = try await browser.post(app, "/password/reset", ["token": token, "password": "a-brand-new-password", "password_again": "something-else"])
            #expect(mismatch.status == .unprocessableEntity && mismatch.text.contains("id=\"reset-error\"") && mismatch.text.contains(token))
            let done = try await browser.post(app, "/password/reset", ["token": token, "password": "a-brand-new-password", "password_again": "a-brand-new-password"])
            #expect(done.status == .seeOther && done.headers.first(name: .location) == "/login?reset=1")
            let spent = try await browser.get(app, "/password/reset?token=\(token)")
            #expect(spent.status == .gone && spent.text.contains("id=\"reset-lapsed\""))
            _ = try await BrowserSession.signIn(app, email: "carla@acme.example", password: "a-brand-new-password")
        }
    }

    @Test("people list and end their own sessions; admins anyone's; others' are not found", arguments: TestDatabase.all)
    func sessions(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var signIns: [(cookie: String, csrf: String)] = []
            for agent in ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
                          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1"] {
                let answer = try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "a-good-password"],
                                                headers: [("User-Agent", agent)])
                signIns.append((String((answer.headers.first(name: .setCookie) ?? "").split(separator: ";")[0]), answer.headers.first(name: "X-CSRF-Token") ?? ""))
            }
            let mine = try await app.call(.GET, "/api/v1/sessions", headers: [("Cookie", signIns[0].cookie)])
            #expect(mine.list.count == 2)
            #expect(Set(mine.list.compactMap { $0["device"] as? String }) == ["Chrome on Linux", "Safari on iPhone"])
            #expect(mine.list.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(try await app.call(.GET, "/api/v1/sessions", token: f.customer).list.count == 2)
            #expect(try await app.call(.GET, "/api/v1/sessions?all=true", token: f.customer).status == .forbidden)
            let other = try #require(mine.list.first { $0["current"] as? Bool == false }?["id"] as? String)
            #expect(try await app.call(.DELETE, "/api/v1/sessions/\(other)", token: f.colleague).status == .notFound, "someone else's is not found")
            #expect(try await app.call(.DELETE, "/api/v1/sessions/\(other)", headers: [("Cookie", signIns[0].cookie), ("X-CSRF-Token", signIns[0].csrf)]).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", signIns[1].cookie)]).status == .unauthorized)
            let everyone = try await app.call(.GET, "/api/v1/sessions?all=true", token: f.admin)
            let id = try #require(everyone.list.first?["id"] as? String)
            #expect(everyone.list.first?["user_email"] as? String == "carla@acme.example")
            #expect(try await app.call(.DELETE, "/api/v1/sessions/\(id)", token: f.admin).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", signIns[0].cookie)]).status == .unauthorized)
            #expect(try await app.call(.DELETE, "/api/v1/sessions/not-a-session", token: f.admin).status == .notFound)
            // A token's last use is kept, to show beside it.
            let tokens = try await app.call(.GET, "/api/v1/tokens", token: f.agent)
            #expect(tokens.list.first?["last_used_at"] as? String != nil)
        }
    }
}
