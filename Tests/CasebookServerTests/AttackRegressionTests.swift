@testable import CasebookServer
import Foundation
import Testing
import Vapor

/// Attacks that have hit other help desks, each kept here as a test so it never works on Casebook.
@Suite("Regression suite: attacks seen on other help desks")
struct AttackRegressionTests {
    @Test("a case's number in a stranger's subject, or its case address, does not put their mail on that case (Zammad #5064); the requester's and staff's do",
          arguments: TestDatabase.all)
    func subjectTagFromStranger(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Payroll export fails")
            func deliver(from: String, subject: String, to: String = "support@casebook.example", id: String) async throws -> String? {
                let mail = InboundEmailTests.mail(from: from, to: to, subject: subject, messageID: "<\(id)@x.example>", body: "Please send me the file.")
                let receipt = try await InboundEmailTests.deliver(app, mail, token: f.admin)
                #expect(receipt.status == .accepted, "\(receipt.text)")
                return receipt.json["case_reference"] as? String
            }
            let stranger = try await deliver(from: "Mallory <mallory@evil.example>", subject: "Re: [\(reference)] the file", id: "s1")
            #expect(stranger != nil && stranger != reference, "a stranger's tag opens a case of their own")
            let byAddress = try await deliver(from: "mallory@evil.example", subject: "hello", to: "support+\(reference.lowercased())@casebook.example", id: "s2")
            #expect(byAddress != nil && byAddress != reference)
            let colleague = try await deliver(from: "colin@acme.example", subject: "Re: [\(reference)] me too", id: "s3")
            #expect(colleague != reference, "an organisation that does not share cases keeps them apart by mail too")
            let requester = try await deliver(from: "carla@acme.example", subject: "Re: [\(reference)] more detail", id: "r1")
            #expect(requester == reference)
            let agent = try await deliver(from: "agent@cb.example", subject: "Re: [\(reference)] answer", id: "a1")
            #expect(agent == reference)
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).text
            #expect(!messages.contains("mallory") && !messages.contains("colin"), "\(messages)")
        }
    }

    @Test("another organisation's records by id, in every path of the API document and every method, answer 4xx and change nothing (Zammad CVE-2022-40816/-40817)",
          arguments: TestDatabase.all)
    func otherOrganisationsIDs(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Acme's private case")
            let file = ["filename": "acme.txt", "data": Data("private".utf8).base64EncodedString()]
            let message = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Acme only", "attachments": [file]])
            let messageID = try #require(message.json["id"] as? String)
            let attachmentID = try #require((message.json["attachments"] as? [[String: Any]])?.first?["id"] as? String)
            let caseID = try #require(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.customer).json["id"] as? String)
            let assetID = try #require(try await AssetAPITests.asset(app, f, name: "Acme's printer")["id"] as? String)
            let ids = [f.customerID, f.organisationID, caseID, messageID, attachmentID, assetID]
            let before = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).text

            var tried = 0
            let paths = (OpenAPIResponseCheck.document["paths"]?.object ?? [:]).filter { $0.key.contains("{") }
            for (template, operations) in paths.sorted(by: { $0.key < $1.key }) {
                for method in ["get", "post", "put", "patch", "delete"] where operations[method] != nil {
                    for id in template.contains("{id}") ? ids : [""] {
                        let path = template.replacingOccurrences(of: "{reference}", with: reference).replacingOccurrences(of: "{id}", with: id)
                            .replacingOccurrences(of: "{attachment}", with: attachmentID).replacingOccurrences(of: "{version}", with: "1")
                            .replacingOccurrences(of: "{token}", with: "x").replacingOccurrences(of: "{name}", with: "x")
                        for (who, token) in [("outsider", f.outsider), ("colleague", f.colleague)] {
                            let answer = try await app.call(HTTPMethod(rawValue: method.uppercased()), path, token: token, raw: "{}")
                            tried += 1
                            // A colleague reads their own organisation; nothing else of Carla's.
                            let own = who == "colleague" && method == "get" && template == "/api/v1/organisations/{id}" && id == f.organisationID
                            #expect((400..<500).contains(Int(answer.status.code)) || own,
                                    "\(who): \(method.uppercased()) \(path) → \(answer.status.code) \(answer.text.prefix(200))")
                        }
                    }
                }
            }
            #expect(tried > 300)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).text == before, "nothing changed")
            #expect(try await app.call(.GET, "/api/v1/users/\(f.customerID)", token: f.admin).json["email"] as? String == "carla@acme.example")
        }
    }

    @Test("every unsafe route, page or API, refuses a signed-in browser's request that lacks the session's CSRF token, and changes nothing",
          arguments: TestDatabase.all)
    func csrfOnEveryForm(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let cookie = SignInHardeningTests.sessionCookie(try await SignInHardeningTests.signIn(app, "admin@cb.example", "admin-password"))
            #expect(!cookie.isEmpty)
            let before = try await rowCount(app, "audit_events")
            // Exempt, and why: the API's sign-in and password resets need no session and take JSON only, which no other site can
            // make a browser send (checked below); a survey's link token is its own CSRF token; anyone may rate an article
            // without signing in, so another site gains nothing by posting the rating.
            let exempt = ["/api/v1/session", "/api/v1/password-resets", "/api/v1/password-resets/complete", "/surveys/", "/kb/"]
            var refused = 0
            for route in app.routes.all where ![.GET, .HEAD, .OPTIONS].contains(route.method) {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let text): return text
                    case .parameter(let name): return name == "reference" ? reference : UUID().uuidString
                    case .anything, .catchall: return "x"
                    }
                }.joined(separator: "/")
                guard !exempt.contains(where: { $0.hasSuffix("/") ? path.hasPrefix($0) : path == $0 }) else { continue }
                let answer = try await app.call(route.method, path, raw: "{}", headers: [("Cookie", cookie)])
                #expect(answer.status == .forbidden || answer.status == .unauthorized, "\(route.method) \(path) → \(answer.status.code)")
                refused += 1
            }
            #expect(refused > 150)
            for path in exempt where path.hasPrefix("/api/") {
                let form = try await app.call(.POST, path, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)])
                #expect(form.status == .unsupportedMediaType, "\(path) takes a form from another site: \(form.status.code)")
            }
            #expect(try await rowCount(app, "audit_events") <= before + refused, "only refusals were recorded")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as? Int == 1, "the case is unchanged")
        }
    }

    @Test("a path that climbs out of the static files, spelled any way, reads nothing; an attachment is reached only by its id on its case")
    func pathTraversal() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            for path in ["/static/../Package.swift", "/static/%2e%2e/%2e%2e/Package.swift", "/static/..%2f..%2f..%2fPackage.swift",
                         "/static/....//....//Package.swift", "/static/%252e%252e/Package.swift", "/static/..\\..\\Package.swift",
                         "/static/../../../../../../etc/passwd", "/static/%c0%ae%c0%ae/etc/passwd"] {
                let answer = try await app.call(.GET, path)
                #expect((400..<500).contains(Int(answer.status.code)), "\(path) → \(answer.status.code)")
                #expect(!answer.text.contains("swift-tools-version") && !answer.text.contains("root:"), "\(path)")
            }
            let reference = try await f.openCase(app)
            for id in ["..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2e%2e"] {
                let answer = try await app.call(.GET, "/api/v1/cases/\(reference)/attachments/\(id)", token: f.agent)
                #expect(answer.status == .notFound || answer.status == .badRequest, "\(id) → \(answer.status.code)")
            }
        }
    }
}
