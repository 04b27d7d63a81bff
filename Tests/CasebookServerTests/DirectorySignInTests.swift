@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Directory sign-in (LDAP)")
struct DirectorySignInTests {
    static func directoryBody(_ server: TestDirectoryServer) -> [String: Any] {
        ["name": "Corp directory", "url": server.url, "start_tls": true, "ca_certificates": server.caPEM,
         "bind_dn": TestDirectoryServer.serviceDN, "bind_password": TestDirectoryServer.servicePassword, "base_dn": TestDirectoryServer.base,
         "user_filter": "(&(objectClass=inetOrgPerson)(|(mail={login})(uid={login})))", "group_attribute": "memberOf",
         "role_map": ["helpdesk": "agent", "helpdesk-admins": "admin"], "default_role": "customer", "creates_people": true]
    }

    @Test("people sign in with their directory user name or address and password over StartTLS; groups give roles; wrong, empty, wildcard and ambiguous logins are refused", arguments: TestDatabase.all)
    func signIn(database: TestDatabase) async throws {
        guard let server = try TestDirectoryServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/directories", token: f.admin, json: Self.directoryBody(server))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["bind_password_set"] as? Bool == true && !created.text.contains(TestDirectoryServer.servicePassword))
            let id = try #require(created.json["id"] as? String)

            let tested = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin, json: ["login": "dana"])
            #expect(tested.json["ok"] as? Bool == true && tested.json["role"] as? String == "agent", "\(tested.text)")
            #expect(tested.json["email"] as? String == "dana@corp.example" && (tested.json["groups"] as? [String] ?? []).contains("helpdesk"))
            let ambiguous = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin, json: ["login": "twins@corp.example"])
            #expect(ambiguous.json["ok"] as? Bool == false && (ambiguous.json["message"] as? String ?? "").contains("more than one"))

            let dana = try await SignInHardeningTests.signIn(app, "dana", "dana-pass")
            #expect(dana.status == .ok, "\(dana.text)")
            let cookie = SignInHardeningTests.sessionCookie(dana)
            let me = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookie)])
            #expect(me.json["email"] as? String == "dana@corp.example" && me.json["role"] as? String == "agent" && me.json["name"] as? String == "Dana Directory")
            // The same account by its address is the same person; an admin by group; someone in no group is a customer.
            let again = try await SignInHardeningTests.signIn(app, "Dana@corp.example", "dana-pass")
            let me2 = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", SignInHardeningTests.sessionCookie(again))])
            #expect(me2.json["id"] as? String == me.json["id"] as? String)
            let lee = try await SignInHardeningTests.signIn(app, "lee", "lee-pass")
            let leeMe = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", SignInHardeningTests.sessionCookie(lee))])
            #expect(leeMe.json["role"] as? String == "admin")
            let sam = try await SignInHardeningTests.signIn(app, "sam", "sam-pass")
            let samMe = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", SignInHardeningTests.sessionCookie(sam))])
            #expect(samMe.json["role"] as? String == "customer")

            for (login, password) in [("dana", "not-her-password"), ("dana", ""), ("*", "dana-pass"), ("dana)(uid=*", "dana-pass"),
                                      ("twins@corp.example", "twin-pass"), ("nobody", "x")] {
                let refused = try await SignInHardeningTests.signIn(app, login, password)
                #expect(refused.status == .unauthorized && refused.isProblem, "\(login) / \(password)")
            }
            let log = try await app.call(.GET, "/api/v1/audit-events?category=sign_in", token: f.admin)
            #expect(log.list.contains { ($0["action"] as? String) == "sign-in with password at Corp directory" })

            // Local accounts keep signing in as before, and a directory that is down does not stop them.
            let down = try await app.call(.PATCH, "/api/v1/directories/\(id)", token: f.admin, json: ["url": "ldap://127.0.0.1:1"])
            #expect(down.status == .ok)
            #expect(try await SignInHardeningTests.signIn(app, "agent@cb.example").status == .ok)
            let unreachable = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin)
            #expect(unreachable.json["ok"] as? Bool == false && (unreachable.json["message"] as? String ?? "").contains("could not reach"))
        }
    }

    @Test("settings are checked when saved, certificates are verified, and the service password is never shown",
          arguments: TestDatabase.all)
    func settings(database: TestDatabase) async throws {
        guard let server = try TestDirectoryServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let bad: [(String, Any, String)] = [("url", "http://ldap.corp.example", "url"), ("url", "ldap://ldap.corp.example", "start_tls"),
                                                 ("user_filter", "(uid=someone)", "user_filter"), ("user_filter", "(uid={login}", "user_filter"),
                                                 ("ca_certificates", "not a certificate", "ca_certificates"), ("role_map", ["x": "boss"], "role_map"),
                                                 ("group_attribute", "member of", "group_attribute"),
                                                 ("role_map", Dictionary(uniqueKeysWithValues: (0...RoleMapInput.mostEntries).map { ("g\($0)", "agent") }), "role_map"),
                                                 ("role_map", ["": "agent"], "role_map")]
            for (field, value, named) in bad {
                var body = Self.directoryBody(server)
                body[field] = value
                if field == "url" { body["start_tls"] = false }
                let refused = try await app.call(.POST, "/api/v1/directories", token: f.admin, json: body)
                #expect(refused.status == .unprocessableEntity && refused.text.contains(named), "\(field): \(refused.text)")
            }
            #expect(try await app.call(.GET, "/api/v1/directories", token: f.admin).list.isEmpty, "nothing refused was kept")
            #expect(try await app.call(.POST, "/api/v1/directories", token: f.agent, json: Self.directoryBody(server)).status == .forbidden)

            // Without our CA the server's certificate is not trusted; without StartTLS the server refuses the password.
            var untrusted = Self.directoryBody(server)
            untrusted["ca_certificates"] = ""
            let id = try #require(try await app.call(.POST, "/api/v1/directories", token: f.admin, json: untrusted).json["id"] as? String)
            let test = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin)
            #expect(test.json["ok"] as? Bool == false, "\(test.text)")
            let malformed = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin, raw: "{\"login\": ")
            #expect(malformed.status == .badRequest && malformed.isProblem, "a body that is not JSON is refused, not taken as no login")
            let plain = try await app.call(.PATCH, "/api/v1/directories/\(id)", token: f.admin, json: ["start_tls": false])
            #expect(plain.status == .ok, "loopback may go without TLS")
            let refused = try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin)
            #expect(refused.json["ok"] as? Bool == false && (refused.json["message"] as? String ?? "").contains("13"), "\(refused.text)")
            let fixed = try await app.call(.PATCH, "/api/v1/directories/\(id)", token: f.admin, json: ["start_tls": true, "ca_certificates": server.caPEM])
            #expect(fixed.json["ca_certificates"] as? String == server.caPEM.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(try await app.call(.POST, "/api/v1/directories/\(id)/test", token: f.admin).json["ok"] as? Bool == true)
            #expect(try await app.call(.DELETE, "/api/v1/directories/\(id)", token: f.admin).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/directories/\(id)", token: f.admin).status == .notFound)
        }
    }

    @Test("the sync switches off people gone from the directory and signs them out, follows group changes, and refuses to empty the desk when the directory finds nobody", arguments: TestDatabase.all)
    func sync(database: TestDatabase) async throws {
        guard let server = try TestDirectoryServer.start() else { return }
        defer { server.stop() }
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let leads = try #require(try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Desk leads", "tier": 2]).json["id"] as? String)
            var body = Self.directoryBody(server)
            body["group_map"] = ["helpdesk-admins": "Desk leads"]
            let id = try #require(try await app.call(.POST, "/api/v1/directories", token: f.admin, json: body).json["id"] as? String)
            func leadIDs() async throws -> Set<String> {
                let group = try await app.call(.GET, "/api/v1/groups", token: f.admin).list.first { $0["id"] as? String == leads }
                return Set(group?["member_ids"] as? [String] ?? [])
            }
            var cookies: [String: String] = [:]
            for (login, password) in [("dana", "dana-pass"), ("lee", "lee-pass"), ("sam", "sam-pass"), ("twin1", "twin-pass")] {
                cookies[login] = SignInHardeningTests.sessionCookie(try await SignInHardeningTests.signIn(app, login, password))
            }
            let unchanged = try await app.call(.POST, "/api/v1/directories/\(id)/sync", token: f.admin)
            #expect(unchanged.json["checked"] as? Int == 4 && unchanged.json["switched_off"] as? Int == 0 && unchanged.json["roles_changed"] as? Int == 0,
                    "\(unchanged.text)")

            try server.modify("""
                dn: cn=helpdesk-admins,ou=groups,dc=corp,dc=example
                changetype: modify
                add: member
                member: uid=dana,ou=people,dc=corp,dc=example

                dn: uid=sam,ou=people,dc=corp,dc=example
                changetype: delete

                """)
            let synced = try await app.call(.POST, "/api/v1/directories/\(id)/sync", token: f.admin)
            #expect(synced.json["switched_off"] as? Int == 1 && synced.json["roles_changed"] as? Int == 1, "\(synced.text)")
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookies["sam"] ?? "")]).status == .unauthorized, "signed out")
            let dana = try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookies["dana"] ?? "")])
            #expect(dana.json["role"] as? String == "admin")
            #expect(try await leadIDs().contains(dana.json["id"] as? String ?? "?"), "joining helpdesk-admins put her in Desk leads at the sync")
            #expect(try await SignInHardeningTests.signIn(app, "sam", "sam-pass").status == .unauthorized)
            let shown = try await app.call(.GET, "/api/v1/directories/\(id)", token: f.admin)
            #expect((shown.json["last_sync_result"] as? String ?? "").contains("switched off 1") && shown.json["last_sync_at"] != nil)
            let log = try await app.call(.GET, "/api/v1/audit-events?q=gone%20from", token: f.admin)
            #expect(log.list.count == 1 && log.list.first?["actor_email"] as? String == "directory sync")

            // A renamed account is still the same person (linked by its entryUUID, not its DN).
            try server.modify("""
                dn: uid=dana,ou=people,dc=corp,dc=example
                changetype: modrdn
                newrdn: uid=dana2
                deleteoldrdn: 1

                """)
            let renamed = try await app.call(.POST, "/api/v1/directories/\(id)/sync", token: f.admin)
            #expect(renamed.json["switched_off"] as? Int == 0, "\(renamed.text)")

            // A base DN that finds nobody must not switch off the whole desk.
            _ = try await app.call(.PATCH, "/api/v1/directories/\(id)", token: f.admin, json: ["base_dn": "ou=groups,dc=corp,dc=example"])
            let guarded = try await app.call(.POST, "/api/v1/directories/\(id)/sync", token: f.admin)
            #expect(guarded.json["switched_off"] as? Int == 0 && (guarded.json["message"] as? String ?? "").contains("nobody was switched off"),
                    "\(guarded.text)")
            #expect(try await app.call(.GET, "/api/v1/me", headers: [("Cookie", cookies["lee"] ?? "")]).status == .ok)
        }
    }
}
