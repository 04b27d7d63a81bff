@testable import CasebookServer
import AsyncHTTPClient
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Company sign-in (OpenID Connect)")
struct CompanySignInTests {
    /// One sign-in as a browser makes it: Casebook → provider → back to Casebook's callback with the same cookie.
    static func journey(_ app: Application, provider: String, next: String = "/portal", tamperState: Bool = false) async throws -> APIResponse {
        let start = try await app.call(.GET, "/login/oidc/\(provider)?next=\(next)")
        #expect(start.status == .seeOther, "\(start.text)")
        let cookie = BrowserSession.cookie(from: start) ?? ""
        let location = try #require(start.headers.first(name: .location))
        let browser = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let atProvider: HTTPClient.Response
        do { atProvider = try await browser.get(url: location).get() } catch { try? await browser.shutdown(); throw error }
        try await browser.shutdown()
        let back = try #require(atProvider.headers.first(name: "Location"), "the provider answers with a redirect")
        var callback = String(back[back.range(of: "/login/oidc/callback")!.lowerBound...])
        if tamperState { callback = callback.replacingOccurrences(of: "state=", with: "state=x") }
        return try await app.call(.GET, callback, headers: [("Cookie", cookie)])
    }

    @Test("a real signed ID token signs people in, creating them with the mapped role; forged, foreign, stale and replayed tokens are refused",
          arguments: TestDatabase.all)
    func tokens(database: TestDatabase) async throws {
        let idp = try await TestOpenIDProvider.start()
        do {
            try await withCasebook(database) { app in
                let f = try await Fixture.make(app)
                let network = try #require(try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Network", "tier": 2]).json["id"] as? String)
                let unknownGroup = try await app.call(.POST, "/api/v1/sign-in-providers", token: f.admin, json: [
                    "name": "x", "issuer": idp.issuer, "client_id": "c", "client_secret": "s", "group_map": ["staff": "Nowhere"]])
                #expect(unknownGroup.status == .unprocessableEntity && unknownGroup.text.contains("group_map"), "\(unknownGroup.text)")
                let created = try await app.call(.POST, "/api/v1/sign-in-providers", token: f.admin, json: [
                    "name": "Corp account", "issuer": idp.issuer, "client_id": TestOpenIDProvider.clientID,
                    "client_secret": TestOpenIDProvider.clientSecret, "role_claim": "groups",
                    "role_map": ["helpdesk-agents": "agent", "helpdesk-admins": "admin"], "group_map": ["Staff": "Network"],
                    "default_role": "customer", "creates_people": true])
                #expect(created.json["group_map"] as? [String: String] == ["Staff": "Network"], "\(created.text)")
                func members() async throws -> [String] {
                    let groups = try await app.call(.GET, "/api/v1/groups", token: f.admin).list
                    return groups.first { $0["id"] as? String == network }?["member_ids"] as? [String] ?? []
                }
                #expect(created.status == .created && created.json["client_secret_set"] as? Bool == true)
                #expect(!created.text.contains("s3cret"), "the secret is never shown back")
                let id = try #require(created.json["id"] as? String)
                let login = try await app.call(.GET, "/login")
                #expect(login.text.contains("Sign in with Corp account") && login.text.contains("/login/oidc/\(id.lowercased())"))

                idp.next(.init(subject: "u-100", email: "Nina@Corp.example", name: "Nina Nurse", groups: ["helpdesk-agents", "staff"]))
                let signedIn = try await Self.journey(app, provider: id, next: "/desk")
                #expect(signedIn.status == .seeOther && signedIn.headers.first(name: .location) == "/desk", "\(signedIn.text)")
                let cookie = BrowserSession.cookie(from: signedIn) ?? ""
                let me = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookie)])
                #expect(me.json["email"] as? String == "nina@corp.example" && me.json["role"] as? String == "agent")
                #expect(me.json["name"] as? String == "Nina Nurse" && me.json["language"] as? String == "es", "userinfo's locale")
                #expect(try await members() == [me.json["id"] as? String ?? "?"], "the staff claim value put her in the Network group")

                // The same account signs in again as the same person; a changed group changes the role, on the audit log.
                idp.next(.init(subject: "u-100", email: "nina.renamed@corp.example", name: "Nina Nurse", groups: ["helpdesk-admins"]))
                let again = try await Self.journey(app, provider: id)
                let me2 = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", BrowserSession.cookie(from: again) ?? "")])
                #expect(me2.json["email"] as? String == "nina@corp.example" && me2.json["role"] as? String == "admin")
                #expect(try await members().isEmpty, "without the claim value she leaves the mapped group")

                for (flaw, words) in [(TestOpenIDProvider.Flaw.foreignKey, "signature"), (.wrongAudience, "audience"), (.expired, "expired"),
                                      (.wrongNonce, "nonce"), (.wrongIssuer, "issued by")] {
                    idp.next(.init(subject: "u-200", email: "mallory@corp.example", name: "Mallory", groups: ["helpdesk-admins"]), flaw: flaw)
                    let refused = try await Self.journey(app, provider: id)
                    #expect(refused.status == .unauthorized && refused.text.contains("id=\"login-error\"") && refused.text.contains(words), "\(flaw)")
                    #expect(!(refused.headers.first(name: .setCookie) ?? "").contains("casebook_session=") || refused.text.contains("action=\"/login\""))
                }
                #expect(try await app.call(.GET, "/api/v1/users?role=admin", token: f.admin).list.allSatisfy { $0["email"] as? String != "mallory@corp.example" })
                idp.next(.init(subject: "u-201", email: "eve@corp.example", name: "Eve", groups: []))
                let forgedState = try await Self.journey(app, provider: id, tamperState: true)
                #expect(forgedState.status == .unauthorized && forgedState.text.contains("state"))
                let noStart = try await app.call(.GET, "/login/oidc/callback?code=abc&state=def")
                #expect(noStart.status == .unauthorized)

                // An address that belongs to staff is not taken over by an account the provider does not call staff.
                idp.next(.init(subject: "u-300", email: "admin@cb.example", name: "Not the admin", groups: []))
                let takeover = try await Self.journey(app, provider: id)
                #expect(takeover.status == .unauthorized && takeover.text.contains("staff"))
                // A customer with a known address is linked to their existing account.
                idp.next(.init(subject: "u-400", email: "carla@acme.example", name: "Carla", groups: []))
                let carla = try await Self.journey(app, provider: id)
                let carlaMe = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", BrowserSession.cookie(from: carla) ?? "")])
                #expect(carlaMe.json["id"] as? String == f.customerID)

                // Known people only: a stranger is refused and nobody is created.
                _ = try await app.call(.PATCH, "/api/v1/sign-in-providers/\(id)", token: f.admin, json: ["creates_people": false])
                let people = try await rowCount(app, "users")
                idp.next(.init(subject: "u-500", email: "stranger@corp.example", name: "Stranger", groups: ["helpdesk-agents"]))
                let stranger = try await Self.journey(app, provider: id)
                #expect(stranger.status == .unauthorized && stranger.text.contains("known people only"))
                #expect(try await rowCount(app, "users") == people)

                let log = try await app.call(.GET, "/api/v1/audit-events?q=corp%20account", token: f.admin)
                #expect(log.list.contains { ($0["action"] as? String ?? "").hasPrefix("sign-in with Corp account") })
                #expect(log.list.filter { $0["category"] as? String == "sign_in_failed" }.count >= 7)
                let roleChange = try await app.call(.GET, "/api/v1/audit-events?q=groups%20claim", token: f.admin)
                #expect(roleChange.list.count >= 1)

                // Bad provider settings are refused with the field named.
                // A discovery document that points sign-in at the cloud metadata service is refused before anything is fetched there (SSRF).
                idp.next(.init(subject: "u-300", email: "m@corp.example", name: "M", groups: []), flaw: .metadataEndpoint)
                let hostile = try await app.call(.POST, "/api/v1/sign-in-providers", token: f.admin, json: [
                    "name": "Hostile", "issuer": idp.issuer, "client_id": "c", "client_secret": "s"])
                let hostileID = try #require(hostile.json["id"] as? String, "\(hostile.text)")
                let refusedStart = try await app.call(.GET, "/login/oidc/\(hostileID)")
                #expect(refusedStart.status != .seeOther && !(refusedStart.headers.first(name: .location) ?? "").contains("169.254"), "\(refusedStart.status)")
                idp.next(.init(subject: "u-300", email: "m@corp.example", name: "M", groups: []))
                for body: [String: Any] in [["name": "x", "issuer": "ftp://x", "client_id": "c", "client_secret": "s"],
                                            ["name": "x", "issuer": "http://login.corp.example", "client_id": "c", "client_secret": "s"],
                                            ["name": "x", "issuer": "https://169.254.169.254/latest", "client_id": "c", "client_secret": "s"],
                                            ["name": "x", "issuer": idp.issuer, "client_id": "c", "client_secret": "s", "role_map": ["g": "king"]],
                                            ["name": "x", "issuer": idp.issuer, "client_id": "c", "client_secret": "s", "scopes": "email"],
                                            ["name": "x", "issuer": idp.issuer, "client_id": "c"]] {
                    let bad = try await app.call(.POST, "/api/v1/sign-in-providers", token: f.admin, json: body)
                    #expect(bad.status == .unprocessableEntity && bad.isProblem, "\(body)")
                }
                #expect(try await app.call(.GET, "/api/v1/sign-in-providers", token: f.agent).status == .forbidden)
                #expect(try await app.call(.GET, "/login/oidc/\(UUID())").status == .notFound)
            }
        } catch {
            await idp.stop()
            throw error
        }
        await idp.stop()
    }
}
