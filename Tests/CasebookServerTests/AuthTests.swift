@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Sign-in, sessions and tokens")
struct AuthTests {
    @Test("a browser signs in with a password, uses the session cookie and signs out", arguments: TestDatabase.all)
    func session(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let wrong = try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "nope-nope-nope"])
            #expect(wrong.status == .unauthorized && wrong.isProblem)
            let unknown = try await app.call(.POST, "/api/v1/session", json: ["email": "ghost@acme.example", "password": "a-good-password"])
            #expect(unknown.status == .unauthorized && unknown.text == wrong.text.replacingOccurrences(of: "", with: ""))
            let signedIn = try await app.call(.POST, "/api/v1/session", json: ["email": "Carla@Acme.example", "password": "a-good-password"])
            #expect(signedIn.status == .ok)
            let cookie = signedIn.headers.first(name: .setCookie) ?? ""
            #expect(cookie.contains("casebook_session=") && cookie.contains("HttpOnly") && cookie.lowercased().contains("samesite=lax"))
            let pair = String(cookie.split(separator: ";")[0])
            let me = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", pair)])
            #expect(me.status == .ok && me.json["email"] as? String == "carla@acme.example")
            let csrf = signedIn.headers.first(name: "X-CSRF-Token") ?? ""
            #expect(csrf.count >= 32)
            // A change by cookie without the session's CSRF token is refused, so another site cannot make it.
            let forged = try await app.call(.POST, "/api/v1/cases", json: ["subject": "Forged", "description": "x"], headers: [("Cookie", pair)])
            #expect(forged.status == .forbidden && forged.isProblem)
            let wrongToken = try await app.call(.POST, "/api/v1/cases", json: ["subject": "Forged", "description": "x"],
                                                headers: [("Cookie", pair), ("X-CSRF-Token", String(repeating: "a", count: csrf.count))])
            #expect(wrongToken.status == .forbidden)
            let created = try await app.call(.POST, "/api/v1/cases", json: ["subject": "Via portal", "description": "x"], headers: [("Cookie", pair), ("X-CSRF-Token", csrf)])
            #expect(created.json["channel"] as? String == "portal")
            let out = try await app.call(.DELETE, "/api/v1/session", headers: [("Cookie", pair), ("X-CSRF-Token", csrf)])
            #expect(out.status == .noContent)
            let after = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", pair)])
            #expect(after.status == .unauthorized)
        }
    }

    @Test("tokens are stored only as hashes and stop working when revoked", arguments: TestDatabase.all)
    func tokens(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let issued = try await app.call(.POST, "/api/v1/tokens", token: f.agent, json: ["name": "script"])
            #expect(issued.status == .created)
            let token = issued.json["token"] as? String ?? ""
            #expect(token.hasPrefix("cb_") && token.count > 40)
            let sql = app.db as! any SQLDatabase
            let stored = try await sql.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(!stored.contains(token))
            #expect(stored.contains(TokenHasher.hash(token)))
            let listed = try await app.call(.GET, "/api/v1/tokens", token: token)
            #expect(!listed.text.contains(token), "the secret is never shown again")
            let id = (issued.json["details"] as? [String: Any])?["id"] as? String ?? ""
            let stranger = try await app.call(.DELETE, "/api/v1/tokens/\(id)", token: f.customer)
            #expect(stranger.status == .notFound)
            let revoked = try await app.call(.DELETE, "/api/v1/tokens/\(id)", token: f.agent)
            #expect(revoked.status == .noContent)
            let refused = try await app.call(.GET, "/api/v1/me", token: token)
            #expect(refused.status == .unauthorized && refused.isProblem)
            #expect(refused.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let garbage = try await app.call(.GET, "/api/v1/me", token: "cb_not-a-real-token")
            #expect(garbage.status == .unauthorized)
        }
    }

    @Test("passwords are stored as Bcrypt hashes")
    func passwordHash() async throws {
        try await withCasebook(.sqlite) { app in
            _ = try await Fixture.make(app)
            let sql = app.db as! any SQLDatabase
            let hashes = try await sql.raw("SELECT password_hash FROM users WHERE password_hash IS NOT NULL").all()
                .map { try $0.decode(column: "password_hash", as: String.self) }
            #expect(!hashes.isEmpty)
            #expect(hashes.allSatisfy { $0.hasPrefix("$2") && !$0.contains("a-good-password") })
        }
    }
}

@Suite("Changing people")
struct PeopleChangeTests {
    @Test("deactivating a person stops their tokens at once; reactivating restores them", arguments: TestDatabase.all)
    func deactivate(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .ok)
            let off = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.agent, json: ["active": false])
            #expect(off.status == .ok && off.json["active"] as? Bool == false)
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .unauthorized)
            _ = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.agent, json: ["active": true])
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .ok)
        }
    }

    @Test("people edit their own details but not their role; bad values change nothing")
    func selfService() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let mine = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.customer, json: [
                "name": "Carla Ruiz", "language": "es", "time_zone": "Europe/Madrid", "phone": NSNull(),
            ])
            #expect(mine.status == .ok && mine.json["language"] as? String == "es" && mine.json["phone"] == nil)
            let promote = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.customer, json: ["role": "admin"])
            #expect(promote.status == .notFound && promote.isProblem)
            let bad = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.customer, json: ["time_zone": "Mars/Base", "name": "X"])
            #expect(bad.status == .unprocessableEntity && bad.isProblem)
            let now = try await app.call(.GET, "/api/v1/users/\(f.customerID)", token: f.customer)
            #expect(now.json["name"] as? String == "Carla Ruiz")
            let selfOff = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.agent, json: ["active": false])
            #expect(selfOff.status == .forbidden || selfOff.status == .unprocessableEntity)
        }
    }
}
