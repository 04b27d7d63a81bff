@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

/// What the security probe found in signing in, each answered: throttling, login CSRF, fixation, sessions that
/// outlive a password, redirects, timing and anonymous session rows.
@Suite("Sign-in hardening")
struct SignInHardeningTests {
    static func signIn(_ app: Application, _ email: String, _ password: String = "a-good-password",
                       cookie: String? = nil) async throws -> APIResponse {
        try await app.call(.POST, "/api/v1/session", json: ["email": email, "password": password],
                           headers: cookie.map { [("Cookie", $0)] } ?? [])
    }

    static func sessionCookie(_ response: APIResponse) -> String {
        response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }.first { $0.hasPrefix("casebook_session=") } ?? ""
    }

    @Test("the API's sign-in is throttled like the form: the sixth failure answers 429 with Retry-After, and a lock set by the form holds for the API",
          arguments: TestDatabase.all)
    func throttled(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            for attempt in 1...5 {
                #expect(try await Self.signIn(app, "carla@acme.example", "wrong-\(attempt)").status == .unauthorized)
            }
            let locked = try await Self.signIn(app, "carla@acme.example")
            #expect(locked.status == .tooManyRequests && locked.isProblem, "\(locked.text)")
            #expect(Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)

            // Five failures through the form lock the account for the API too: one count, kept in the database.
            let form = try await app.call(.GET, "/login")
            let browser = BrowserSession(cookie: BrowserSession.cookie(from: form) ?? "", csrf: BrowserSession.token(in: form.text))
            for attempt in 1...5 {
                #expect(try await browser.post(app, "/login", ["email": "agent@cb.example", "password": "wrong-\(attempt)"]).status == .unauthorized)
            }
            #expect(try await Self.signIn(app, "agent@cb.example").status == .tooManyRequests)
        }
    }

    @Test("the API's sign-in takes JSON only, so a form on another site cannot sign a victim in", arguments: TestDatabase.all)
    func jsonOnly(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let form = try await app.call(.POST, "/api/v1/session", raw: "email=carla%40acme.example&password=a-good-password",
                                          headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://evil.example")])
            #expect(form.status == .unsupportedMediaType && form.isProblem)
            #expect(form.headers[.setCookie].isEmpty, "no session was started")
        }
    }

    @Test("a session id fixed before sign-in is never signed in: sign-in issues a new one", arguments: TestDatabase.all)
    func fixation(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let fixed = "casebook_session=" + RandomToken.make()
            let signedIn = try await Self.signIn(app, "carla@acme.example", cookie: fixed)
            #expect(signedIn.status == .ok)
            let issued = Self.sessionCookie(signedIn)
            #expect(!issued.isEmpty && issued != fixed)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", fixed)]).status == .unauthorized)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", issued)]).status == .ok)
            // The same through the form.
            let form = try await app.call(.GET, "/login")
            var browser = BrowserSession(cookie: (BrowserSession.cookie(from: form) ?? "") + "; " + fixed, csrf: BrowserSession.token(in: form.text))
            let posted = try await browser.post(app, "/login", ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(posted.status == .seeOther)
            browser.cookie = BrowserSession.cookie(from: posted) ?? ""
            #expect(!browser.cookie.contains(fixed))
            #expect(try await app.call(.GET, "/desk", headers: [("Cookie", fixed)]).status == .seeOther, "the fixed id opens nothing")
        }
    }

    @Test("a new password ends the person's other sessions and revokes their API tokens, and keeps the session that changed it",
          arguments: TestDatabase.all)
    func passwordChangeEndsSessions(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let first = try await Self.signIn(app, "carla@acme.example")
            let second = try await Self.signIn(app, "carla@acme.example")
            let (old, current) = (Self.sessionCookie(first), Self.sessionCookie(second))
            let csrf = second.headers.first(name: "X-CSRF-Token") ?? ""
            let changed = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", json: ["password": "a-brand-new-password"],
                                             headers: [("Cookie", current), ("X-CSRF-Token", csrf)])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", old)]).status == .unauthorized)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", current)]).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .unauthorized, "the token is revoked")

            // An agent resetting the password ends every session of that person.
            let again = Self.sessionCookie(try await Self.signIn(app, "carla@acme.example", "a-brand-new-password"))
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.agent, json: ["password": "yet-another-password"]).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", again)]).status == .unauthorized)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", current)]).status == .unauthorized)
        }
    }

    @Test("next= accepts only this site's paths, also once a browser drops tabs and line breaks or reads backslashes as slashes")
    func redirects() {
        for hostile in ["/\t/evil.example", "/\n/evil.example", "/\r//evil.example", "/\\evil.example", "/\\/evil.example", "//evil.example",
                        "https://evil.example", "/ /evil.example", "\t//evil.example", "javascript:alert(1)"] {
            #expect(SignInPages.safeNext(hostile) == "", "\(hostile.debugDescription)")
        }
        for fine in ["/desk", "/desk?view=all&q=VPN", "/desk/cases/CB-10001#reply", "/portal/cases/CB-1?x=%2F%2Fy"] {
            #expect(SignInPages.safeNext(fine) == fine)
        }
    }

    @Test("the form's next=/%09/evil sends the person to their start page, not elsewhere", arguments: TestDatabase.all)
    func redirectThroughForm(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let form = try await app.call(.GET, "/login?next=/%09/evil.example")
            #expect(!form.text.contains("evil.example"))
            let browser = BrowserSession(cookie: BrowserSession.cookie(from: form) ?? "", csrf: BrowserSession.token(in: form.text))
            let posted = try await browser.post(app, "/login", ["email": "agent@cb.example", "password": "a-good-password", "next": "/\t/evil.example"])
            #expect(posted.headers.first(name: .location) == "/desk")
        }
    }

    @Test("an unknown address is checked against a hash of the configured cost, so it answers as slowly as a known one")
    func dummyHashCost() async throws {
        try await withCasebook(.sqlite, configure: { $0.bcryptCost = 6 }) { app in
            #expect(app.dummyPasswordHash.hasPrefix("$2b$06$"), "\(app.dummyPasswordHash.prefix(7))")
        }
        try await withCasebook(.sqlite) { app in
            #expect(app.dummyPasswordHash.hasPrefix("$2b$04$"))
        }
    }

    @Test("anonymous page views and made-up cookies store no session; a signed-in session is stored hashed and lapsed ones are swept",
          arguments: TestDatabase.all)
    func noAnonymousSessions(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            for _ in 0..<40 { _ = try await app.call(.GET, "/login") }
            for _ in 0..<10 { _ = try await app.call(.GET, "/login", headers: [("Cookie", "casebook_session=" + RandomToken.make())]) }
            _ = try await app.call(.GET, "/desk")
            #expect(try await rowCount(app, "web_sessions") == 0)

            let signedIn = try await Self.signIn(app, "carla@acme.example")
            let cookie = Self.sessionCookie(signedIn)
            let id = String(cookie.dropFirst("casebook_session=".count))
            let sql = app.db as! any SQLDatabase
            let hashes = try await sql.raw("SELECT id_hash FROM web_sessions").all().map { try $0.decode(column: "id_hash", as: String.self) }
            #expect(hashes == [TokenHasher.hash(id)], "only the hash of the cookie's id is kept")

            try await WebSessions.sweep(now: Date().addingTimeInterval(WebSessionDriver.lifetime + 60), on: sql)
            #expect(try await rowCount(app, "web_sessions") == 0)
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookie)]).status == .unauthorized)
        }
    }

    @Test("a page view by someone signed in does not rewrite their session each time")
    func quietSessions() async throws {
        try await withCasebook(.sqlite) { app in
            _ = try await Fixture.make(app)
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let sql = app.db as! any SQLDatabase
            let before = try await sql.raw("SELECT data, expires_at FROM web_sessions").first()?.decode(column: "expires_at", as: Date.self)
            _ = try await browser.get(app, "/desk")
            _ = try await browser.get(app, "/desk")
            let after = try await sql.raw("SELECT data, expires_at FROM web_sessions").first()?.decode(column: "expires_at", as: Date.self)
            #expect(before != nil && before == after)
        }
    }
}
