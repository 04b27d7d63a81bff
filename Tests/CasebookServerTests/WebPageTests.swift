@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import VaporTesting

/// A browser's session in tests: its cookie and the CSRF token its last page carried.
struct BrowserSession {
    var cookie: String
    var csrf: String

    static func token(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf-token" content=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Every cookie the response sets, as a `Cookie` header sends them back (a visitor's CSRF cookie, the session's).
    static func cookie(from response: APIResponse) -> String? {
        let pairs = response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
        return pairs.isEmpty ? nil : pairs.joined(separator: "; ")
    }

    /// Signs in through the login form, as a browser does.
    static func signIn(_ app: Application, email: String, password: String = "a-good-password") async throws -> BrowserSession {
        let form = try await app.call(.GET, "/login")
        var session = BrowserSession(cookie: cookie(from: form) ?? "", csrf: token(in: form.text))
        let posted = try await session.post(app, "/login", ["email": email, "password": password])
        #expect(posted.status == .seeOther || posted.status == .found, "sign-in: \(posted.status)")
        session.cookie = cookie(from: posted) ?? session.cookie
        _ = try await session.get(app, "/portal")
        return session
    }

    mutating func get(_ app: Application, _ path: String) async throws -> APIResponse {
        let page = try await app.call(.GET, path, headers: [("Cookie", cookie)])
        let fresh = Self.token(in: page.text)
        if !fresh.isEmpty { csrf = fresh }
        return page
    }

    func post(_ app: Application, _ path: String, _ fields: [String: String], csrf override: String? = nil) async throws -> APIResponse {
        var all = fields
        all["_csrf"] = override ?? csrf
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await app.call(.POST, path, raw: body, headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")])
    }

    /// Posts a form with one file, as a browser sends a form with a file field (multipart/form-data).
    func postFile(_ app: Application, _ path: String, _ fields: [String: String], file: (field: String, name: String, data: Data)) async throws -> APIResponse {
        let boundary = "casebook-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.merging(["_csrf": csrf], uniquingKeysWith: { $1 }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n".utf8))
        body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8) + file.data + Data("\r\n--\(boundary)--\r\n".utf8))
        return try await app.call(.POST, path, data: body, headers: [("Cookie", cookie), ("Content-Type", "multipart/form-data; boundary=\(boundary)")])
    }
}

@Suite("Web pages: sign-in, safety headers, CSRF, what each role sees")
struct WebPageTests {
    @Test("pages carry a strict CSP; a form without its CSRF token is refused; sign-in is throttled", arguments: TestDatabase.all)
    func safety(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let login = try await app.call(.GET, "/login")
            let csp = login.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
            #expect(login.headers.first(name: "X-Frame-Options") == "DENY")
            #expect((login.headers.first(name: .setCookie) ?? "").contains("HttpOnly"))
            let anonymous = try await app.call(.GET, "/desk")
            #expect(anonymous.status == .seeOther && (anonymous.headers.first(name: .location) ?? "").hasPrefix("/login?next="))

            var session = BrowserSession(cookie: BrowserSession.cookie(from: login) ?? "", csrf: BrowserSession.token(in: login.text))
            let forged = try await session.post(app, "/login", ["email": "agent@cb.example", "password": "a-good-password"], csrf: "forged")
            #expect(forged.status == .forbidden && forged.isProblem)
            for attempt in 1...5 {
                let wrong = try await session.post(app, "/login", ["email": "agent@cb.example", "password": "wrong-\(attempt)"])
                #expect(wrong.status == .unauthorized && wrong.text.contains("The email address or the password is wrong"))
            }
            // The sixth try is refused even with the right password, and says when to come back.
            let locked = try await session.post(app, "/login", ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(locked.status == .tooManyRequests && Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            let other = try await session.post(app, "/login", ["email": "carla@acme.example", "password": "a-good-password"])
            #expect(other.status == .seeOther, "another account from the same client is still allowed")
            // A next= pointing elsewhere is ignored.
            #expect(SignInPages.safeNext("//evil.example/x") == "" && SignInPages.safeNext("https://evil.example") == "" && SignInPages.safeNext("/desk?view=all") == "/desk?view=all")
            session.cookie = BrowserSession.cookie(from: other) ?? session.cookie
            _ = try await session.get(app, "/portal")
            let noToken = try await app.call(.POST, "/portal/new/\(UUID())", raw: "subject=x", headers: [("Cookie", session.cookie), ("Content-Type", "application/x-www-form-urlencoded")])
            #expect(noToken.status == .forbidden)
        }
    }

    @Test("the stylesheet and script are served from /static/ with an ETag; other paths never reach the file system")
    func staticFiles() async throws {
        try await withCasebook(.sqlite) { app in
            let script = try await app.call(.GET, "/static/casebook.js")
            #expect(script.status == .ok && script.text.contains("function"))
            let etag = try #require(script.headers.first(name: .eTag))
            let again = try await app.call(.GET, "/static/casebook.js", headers: [("If-None-Match", etag)])
            #expect(again.status == .notModified)
            let style = try await app.call(.GET, "/static/casebook.css")
            #expect(style.status == .ok && (style.headers.first(name: .contentType) ?? "").hasPrefix("text/css"))
            let missing = try await app.call(.GET, "/static/nothing-here.js")
            #expect(missing.status == .notFound)
            // The files live in Public/static; without the prefix they are not files of ours.
            let outside = try await app.call(.GET, "/casebook.js")
            #expect(outside.status == .notFound)
            // Climbing out of the folder never serves the templates or anything else beside it.
            for path in ["/static/../Views/desk-case.leaf", "/static/%2e%2e/Views/desk-case.leaf", "/static/..%2fViews%2fdesk-case.leaf", "/static/", "/static"] {
                let escape = try await app.call(.GET, path)
                #expect(!escape.text.contains("#("), "\(path) served a template (\(escape.status))")
            }
        }
    }

    @Test("the portal shows public entries only and sends customers away from the desk and admin", arguments: TestDatabase.all)
    func separation(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: fixture.agent, json: ["text": "Public answer <b>bold</b>", "visibility": "public"])
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: fixture.agent, json: ["text": "Secret internal remark", "visibility": "internal"])
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let page = try await carla.get(app, "/portal/cases/\(reference)")
            #expect(page.status == .ok && page.text.contains("Public answer &lt;b&gt;bold&lt;/b&gt;"))
            #expect(!page.text.contains("Secret internal remark"))
            let desk = try await carla.get(app, "/desk/cases/\(reference)")
            #expect(desk.status == .seeOther && desk.headers.first(name: .location) == "/portal")
            let admin = try await carla.get(app, "/admin")
            #expect(admin.status == .seeOther)
            var olga = try await BrowserSession.signIn(app, email: "olga@globex.example")
            let foreign = try await olga.get(app, "/portal/cases/\(reference)")
            #expect(foreign.status == .notFound)

            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let casePage = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(casePage.text.contains("Secret internal remark") && casePage.text.contains("Internal note"))
            let adminPage = try await agent.get(app, "/admin/users")
            #expect(adminPage.status == .forbidden)
            let queue = try await agent.get(app, "/desk?view=unassigned")
            #expect(queue.status == .ok && queue.text.contains(reference))
            // A saved filter shows how many cases it holds; one that cannot run is refused when saved.
            _ = try await fixture.openCase(app, subject: "Second printer")
            let saved = try await agent.post(app, "/desk/filters", ["name": "Printers", "query": "q=printer"])
            #expect(saved.status == .seeOther)
            let withFilter = try await agent.get(app, "/desk")
            #expect(withFilter.text.contains(#"Printers <span class="count">2</span>"#), "\(withFilter.text)")
            for name in ["", "   ", String(repeating: "n", count: 81)] {
                let refused = try await agent.post(app, "/desk/filters", ["name": name, "query": "q=x"])
                #expect(refused.status == .unprocessableEntity && refused.isProblem)
            }
            let longQuery = try await agent.post(app, "/desk/filters", ["name": "Long", "query": String(repeating: "q", count: 2_001)])
            #expect(longQuery.status == .unprocessableEntity)
            let twice = try await agent.post(app, "/desk/filters", ["name": "Printers", "query": "q=x"])
            #expect(twice.status == .conflict)
            let broken = try await agent.post(app, "/desk/filters", ["name": "Broken", "query": "status=nonsense"])
            #expect(broken.status == .badRequest && broken.isProblem)
            let badView = try await agent.get(app, "/desk?view=nonsense")
            #expect(badView.status == .badRequest && badView.isProblem)
        }
    }

    @Test("the requester picks the workaround or the fix, and rates the solved case, from the portal", arguments: [TestDatabase.sqlite])
    func choiceAndRating(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app)
            let problem = try await app.call(.POST, "/api/v1/problems", token: fixture.agent, json: [
                "title": "Tray 2 jams on 4.1", "root_cause": "Worn roller spring", "status": "known_error",
                "workaround": "Feed paper from tray 1.", "cases": [reference]])
            #expect(problem.status == .created)
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let page = try await carla.get(app, "/portal/cases/\(reference)")
            #expect(page.text.contains("Feed paper from tray 1.") && page.text.contains("choice-form") && !page.text.contains("Worn roller spring"))
            #expect(!page.text.contains("rating-form"), "no rating before the case is solved")
            let chosen = try await carla.post(app, "/portal/cases/\(reference)/choice", ["choice": "workaround"])
            #expect(chosen.status == .seeOther)
            let view = try await app.call(.GET, "/api/v1/cases/\(reference)/problem", token: fixture.customer)
            #expect(view.json["choice"] as? String == "workaround")
            let current = try await app.call(.GET, "/api/v1/cases/\(reference)", token: fixture.agent)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: fixture.agent, json: ["status": "solved", "version": current.json["version"] as! Int])
            let solved = try await carla.get(app, "/portal/cases/\(reference)")
            #expect(solved.text.contains("rating-form"))
            let rated = try await carla.post(app, "/portal/cases/\(reference)/rating", ["score": "5", "comment": "Quick and clear"])
            #expect(rated.status == .seeOther)
            let satisfaction = try await app.call(.GET, "/api/v1/cases/\(reference)/satisfaction", token: fixture.agent)
            #expect(satisfaction.json["score"] as? Int == 5)
        }
    }

    @Test("agents on one case see each other, who is replying, and who left; a silent page drops out after 30 s", arguments: TestDatabase.all)
    func presence(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app)
            _ = try await AdminOperations.addUser(app, email: "ben@cb.example", name: "Ben", role: "agent", organisation: nil, password: "a-good-password")
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            var ben = try await BrowserSession.signIn(app, email: "ben@cb.example")
            _ = try await agent.get(app, "/desk/cases/\(reference)")
            _ = try await ben.get(app, "/desk/cases/\(reference)")
            func beat(_ who: BrowserSession, _ body: [String: Any]) async throws -> APIResponse {
                try await app.call(.POST, "/desk/cases/\(reference)/presence", json: body, headers: [("Cookie", who.cookie), ("X-CSRF-Token", who.csrf)])
            }
            let forged = try await app.call(.POST, "/desk/cases/\(reference)/presence", json: ["replying": true], headers: [("Cookie", ben.cookie)])
            #expect(forged.status == .forbidden)
            _ = try await beat(ben, ["replying": true])
            let seen = try await beat(agent, ["replying": false])
            #expect((seen.json["others"] as? [[String: Any]])?.first?["name"] as? String == "Ben")
            #expect((seen.json["others"] as? [[String: Any]])?.first?["replying"] as? Bool == true)
            clock.advance(31)
            let later = try await beat(agent, [:])
            #expect((later.json["others"] as? [[String: Any]])?.isEmpty == true, "Ben's page went quiet")
            _ = try await beat(ben, [:])
            _ = try await beat(ben, ["leaving": true])
            let left = try await beat(agent, [:])
            #expect((left.json["others"] as? [[String: Any]])?.isEmpty == true)
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            _ = try await carla.get(app, "/portal")
            let customer = try await app.call(.POST, "/desk/cases/\(reference)/presence", json: [:], headers: [("Cookie", carla.cookie), ("X-CSRF-Token", carla.csrf)])
            #expect(customer.status == .seeOther, "customers are not on the desk")
        }
    }

    @Test("customer pages follow the profile's language, then the browser's", arguments: [TestDatabase.sqlite])
    func languages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let text = try WebText.load()
            for language in ["es", "fr", "de"] {
                #expect(text.missing(in: language).isEmpty, "\(language) lacks keys")
                let extra = Set(text.catalogs[language]?.keys.map { $0 } ?? []).subtracting(text.catalogs["en"]?.keys.map { $0 } ?? [])
                #expect(extra.isEmpty, "\(language) has keys English lacks: \(extra.sorted())")
            }
            for (language, words) in [("fr", "Se connecter"), ("de", "Anmelden")] {
                let page = try await app.call(.GET, "/login", headers: [("Accept-Language", "\(language);q=0.9,en;q=0.5")])
                #expect(page.text.contains(words) && page.text.contains(#"<html lang="\#(language)">"#), "\(language) sign-in page")
            }
            let spanish = try await app.call(.GET, "/login", headers: [("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")])
            #expect(spanish.text.contains("Iniciar sesión") && spanish.text.contains(#"<html lang="es">"#))
            _ = try await app.call(.PATCH, "/api/v1/users/\(fixture.customerID)", token: fixture.admin, json: ["language": "es"])
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let home = try await carla.get(app, "/portal")
            #expect(home.text.contains("Mis solicitudes"))
        }
    }

    @Test("admin forms post through the API's rules, report its problems and publish intake versions", arguments: [TestDatabase.sqlite])
    func adminForms(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            for section in ["users", "organisations", "contracts", "products", "categories", "groups", "canned", "templates", "email"] {
                let page = try await admin.get(app, "/admin/\(section)")
                #expect(page.status == .ok, "admin page \(section)")
            }
            let added = try await admin.post(app, "/admin/users", ["name": "Dana Desk", "email": "dana@cb.example", "role": "agent", "language": "en",
                                                                   "organisation_id": "", "password": "a-long-enough-password"])
            #expect(added.status == .seeOther)
            let list = try await admin.get(app, "/admin/users")
            #expect(list.text.contains("dana@cb.example") && list.text.contains("Saved."))
            let duplicate = try await admin.post(app, "/admin/users", ["name": "Dana", "email": "dana@cb.example", "role": "agent"])
            #expect(duplicate.status == .seeOther)
            let again = try await admin.get(app, "/admin/users")
            #expect(again.text.contains("Not saved:"))
            let dana = try await app.call(.GET, "/api/v1/users", token: fixture.admin)
            let danaID = ((dana.json["items"] as? [[String: Any]]) ?? dana.list).first { $0["email"] as? String == "dana@cb.example" }?["id"] as? String ?? ""
            _ = try await admin.post(app, "/admin/users/\(danaID)/role?to=admin", [:])
            _ = try await admin.post(app, "/admin/users/\(danaID)/active", [:])
            let changed = try await app.call(.GET, "/api/v1/users/\(danaID)", token: fixture.admin)
            #expect(changed.json["role"] as? String == "admin" && changed.json["active"] as? Bool == false)
            _ = try await admin.post(app, "/admin/organisations", ["name": "Initech", "domain": "initech.example", "seats": "12", "shares_cases": "on"])
            let orgs = try await app.call(.GET, "/api/v1/organisations", token: fixture.admin)
            #expect(orgs.text.contains("Initech") && orgs.text.contains("\"seats\":12"))
            _ = try await admin.post(app, "/admin/categories", ["name": "Network", "description": "Switches and Wi-Fi"])
            let categories = try await app.call(.GET, "/api/v1/categories", token: fixture.admin)
            let category = categories.list.first { $0["name"] as? String == "Network" }?["id"] as? String ?? ""
            let editor = try await admin.get(app, "/admin/categories/\(category)/intake")
            #expect(editor.status == .ok && editor.text.contains("Publish new version"))
            _ = try await admin.post(app, "/admin/categories/\(category)/intake", ["q0.key": "site", "q0.label": "Which site?",
                                                                                  "q0.why": "We send the nearest technician.", "q0.kind": "text", "q0.required": "on"])
            let refused = try await admin.post(app, "/admin/categories/\(category)/intake", ["q0.key": "x"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Not published"))
            let current = try await app.call(.GET, "/api/v1/categories/\(category)/intake", token: fixture.customer)
            #expect(current.json["version"] as? Int == 1)
            // A Spanish acknowledgement in the admin's own words reaches a Spanish customer's mailbox.
            let badTemplate = try await admin.post(app, "/admin/templates", ["name": "acknowledgement", "language": "es", "subject": "Caso {{case.reference}}",
                                                                            "body": "Hola {{customer.shoe_size}}"])
            #expect(badTemplate.status == .seeOther)
            #expect(try await admin.get(app, "/admin/templates").text.contains("Not saved"))
            _ = try await admin.post(app, "/admin/templates", ["name": "acknowledgement", "language": "es", "subject": "Recibido: {{case.reference}}",
                                                               "body": "Hola {{customer.first_name}}, ya tenemos su caso {{case.reference}} ({{case.subject}})."])
            _ = try await app.call(.PATCH, "/api/v1/users/\(fixture.customerID)", token: fixture.admin, json: ["language": "es", "name": "Carla Gómez"])
            let reference = try await fixture.openCase(app, subject: "Impresora")
            let mail = try await (app.db as! any SQLDatabase).raw("SELECT subject, raw FROM outbound_messages WHERE kind = 'acknowledgement'").first()
            #expect(try mail?.decode(column: "subject", as: String.self) == "Recibido: \(reference)")
            #expect(try mail?.decode(column: "raw", as: String.self).contains("Hola Carla, ya tenemos su caso") == true)
            _ = try await admin.post(app, "/admin/templates/revert?name=acknowledgement&language=es", [:])
            #expect(try await admin.get(app, "/admin/templates").text.contains("back to the built-in text"))
            _ = try await admin.post(app, "/admin/canned", ["title": "Thanks", "language": "es", "body": "Gracias {{customer.first_name}}"])
            let canned = try await app.call(.GET, "/api/v1/canned-responses", token: fixture.agent)
            #expect(canned.list.first?["language"] as? String == "es")
        }
    }

    @Test("admin forms rename and retire catalogue entries; a tampered entry is refused and changes nothing", arguments: [TestDatabase.sqlite])
    func adminCatalogueChanges(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let product = try await app.call(.POST, "/api/v1/products", token: fixture.admin, json: ["name": "Routr"]).json["id"] as! String
            let version = try await app.call(.POST, "/api/v1/products/\(product)/versions", token: fixture.admin, json: ["name": "7.0"]).json["id"] as! String
            let group = try await app.call(.POST, "/api/v1/groups", token: fixture.admin, json: ["name": "L1 desk"]).json["id"] as! String
            for entry in ["", "/", "//", "x", "\(product)/", "\(product)/\(version)/\(version)", String(repeating: "a", count: 5_000)] {
                let refused = try await admin.post(app, "/admin/products/change", ["entry": entry, "name": "Hijacked"])
                #expect(refused.status == .seeOther, "entry '\(entry.prefix(20))'")
                #expect(try await admin.get(app, "/admin/products").text.contains("Not saved: choose what to change."))
            }
            let unknown = try await admin.post(app, "/admin/products/change", ["entry": UUID().uuidString, "name": "Hijacked"])
            #expect(unknown.status == .seeOther)
            #expect(try await admin.get(app, "/admin/products").text.contains("Not saved"))
            #expect(try await app.call(.GET, "/api/v1/products", token: fixture.admin).list.first?["name"] as? String == "Routr", "nothing renamed")

            _ = try await admin.post(app, "/admin/products/change", ["entry": product, "name": "Router"])
            _ = try await admin.post(app, "/admin/versions/change", ["entry": "\(product)/\(version)", "state": "retire"])
            _ = try await admin.post(app, "/admin/groups/change", ["entry": group, "tier": "2", "state": "retire"])
            let products = try await app.call(.GET, "/api/v1/products", token: fixture.admin).list
            #expect(products.first?["name"] as? String == "Router")
            #expect((products.first?["versions"] as? [[String: Any]])?.first?["retired"] as? Bool == true)
            let groups = try await app.call(.GET, "/api/v1/groups", token: fixture.admin).list
            #expect(groups.first?["tier"] as? Int == 2 && groups.first?["retired"] as? Bool == true)
            let page = try await admin.get(app, "/admin/groups")
            #expect(page.text.contains("L1 desk") && page.text.contains("retired"))
        }
    }
}
