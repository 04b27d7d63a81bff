@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

/// Hostile and careless input the probe sent, each answered with a clear 4xx and nothing stored or crashed.
@Suite("Input hardening")
struct InputHardeningTests {
    static var tierTooBig: [String: Any] { ["field": "tier", "operator": "is", "value": 1e19] }

    @Test("a rule compared with a number beyond any whole number is refused with 422 naming the field, on create, change and dry run; the process lives on",
          arguments: TestDatabase.all)
    func hugeRuleNumber(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let rule: [String: Any] = ["name": "Huge", "trigger": "case_created", "conditions": [Self.tierTooBig], "actions": [["type": "add_tag", "value": "x"]]]
            let created = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: rule)
            #expect(created.status == .unprocessableEntity && created.isProblem, "\(created.text)")
            #expect((created.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "conditions[0].value", "\(created.text)")
            let dry = try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin, json: ["trigger": "time", "conditions": [Self.tierTooBig]])
            #expect(dry.status == .unprocessableEntity, "\(dry.text)")
            let good = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: [
                "name": "Fine", "trigger": "case_created", "conditions": [["field": "tier", "operator": "is", "value": 2]],
                "actions": [["type": "add_tag", "value": "x"]],
            ])
            let id = good.json["id"] as? String ?? ""
            let patched = try await app.call(.PATCH, "/api/v1/automations/\(id)", token: f.admin, json: ["any_conditions": [Self.tierTooBig]])
            #expect(patched.status == .unprocessableEntity && (patched.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "any_conditions[0].value")
            for number in [-1e300, 9.3e18, 1e16] {
                let refused = try await app.call(.POST, "/api/v1/automations/\(id)/dry-run", token: f.admin,
                                                 raw: #"{"conditions":[{"field":"reopen_count","operator":"greater_than","value":\#(number)}]}"#)
                #expect(refused.status.code < 500)
            }
            #expect(try await app.call(.GET, "/healthz").status == .ok)
            #expect(try await app.call(.GET, "/api/v1/automations/\(id)", token: f.admin).json["name"] as? String == "Fine")
        }
    }

    @Test("a page cursor with a sort value beyond any whole number is refused as a bad cursor", arguments: TestDatabase.all)
    func hugeCursor(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let cursor = Data(#"{"v":1e19,"n":1}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            let answer = try await app.call(.GET, "/api/v1/cases?sort=priority&cursor=\(cursor)", token: f.agent)
            #expect(answer.status == .badRequest && answer.isProblem, "\(answer.text)")
        }
    }

    @Test("account managers read knowledge, problems and root-cause reports but write none of them", arguments: TestDatabase.all)
    func accountManagersReadOnly(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let article = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: ["title": "Reset the VPN", "body": "Steps.", "audience": "public"])
            let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "VPN drops", "workaround": "Reconnect."])
            let report = try await app.call(.POST, "/api/v1/rca-reports", token: f.agent, json: ["title": "VPN outage", "case_reference": reference])
            let (articleID, problemID, reportID) = (article.json["id"] as? String ?? "", problem.json["id"] as? String ?? "", report.json["id"] as? String ?? "")
            #expect(!articleID.isEmpty && !problemID.isEmpty && !reportID.isEmpty, "\(article.text) \(problem.text) \(report.text)")
            let writes: [(HTTPMethod, String, [String: Any])] = [
                (.POST, "/api/v1/knowledge/articles", ["title": "AM article", "body": "x", "audience": "public", "status": "published"]),
                (.PATCH, "/api/v1/knowledge/articles/\(articleID)", ["status": "published"]),
                (.POST, "/api/v1/problems", ["title": "AM problem"]),
                (.PATCH, "/api/v1/problems/\(problemID)", ["title": "Renamed"]),
                (.POST, "/api/v1/problems/\(problemID)/cases", ["reference": reference]),
                (.POST, "/api/v1/problems/\(problemID)/release-fix", ["release": "2.0"]),
                (.POST, "/api/v1/rca-reports", ["title": "AM report", "case_reference": reference]),
                (.PATCH, "/api/v1/rca-reports/\(reportID)", ["title": "Renamed"]),
                (.POST, "/api/v1/rca-reports/\(reportID)/submit", [:]),
                (.POST, "/api/v1/rca-reports/\(reportID)/approve", [:]),
                (.POST, "/api/v1/rca-reports/\(reportID)/send", [:]),
            ]
            for (method, path, body) in writes {
                let answer = try await app.call(method, path, token: f.manager, json: body)
                #expect(answer.status == .forbidden && answer.isProblem, "\(method) \(path): \(answer.status) \(answer.text)")
            }
            _ = try await app.call(.POST, "/api/v1/problems/\(problemID)/cases", token: f.agent, json: ["reference": reference])
            let choice = try await app.call(.POST, "/api/v1/cases/\(reference)/problem-choice", token: f.manager, json: ["choice": "workaround"])
            #expect(choice.status == .forbidden, "\(choice.text)")
            #expect(try await app.call(.GET, "/api/v1/problems/\(problemID)", token: f.manager).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/knowledge/articles/\(articleID)", token: f.manager).status == .ok)
        }
    }

    @Test("a holiday file with any fault is refused with 422 naming the line, and nothing of it is imported", arguments: TestDatabase.all)
    func badHolidayFiles(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (calendar, _) = try await ServiceLevelAPITests.setUp(app, f)
            let path = "/api/v1/calendars/\(calendar)/holidays/import"
            let good = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Navidad\r\nEND:VEVENT\r\n"
            func file(_ event: String, end: Bool = true) -> String {
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + good + event + (end ? "END:VCALENDAR\r\n" : "")
            }
            let cases: [(String, String, String)] = [
                ("a date that does not exist", file("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261345\r\nEND:VEVENT\r\n"), "line 8"),
                ("a date that is not a date", file("BEGIN:VEVENT\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n"), "line 8"),
                ("no DTSTART", file("BEGIN:VEVENT\r\nSUMMARY:When?\r\nEND:VEVENT\r\n"), "line 7"),
                ("no END:VCALENDAR", file("", end: false), "line 1"),
                ("an unknown TZID", file("BEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:20261226T000000\r\nEND:VEVENT\r\n"), "line 8"),
                ("DTEND before DTSTART", file("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261226\r\nDTEND;VALUE=DATE:20261220\r\nEND:VEVENT\r\n"), "line 9"),
                ("a 500 kB name", file("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261226\r\nSUMMARY:" + String(repeating: "x", count: 500_000) + "\r\nEND:VEVENT\r\n"), "line 9"),
                ("an unclosed event", file("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261226\r\n"), "line 7"),
            ]
            for (what, text, line) in cases {
                let answer = try await app.call(.POST, path, token: f.admin, raw: text, headers: [("Content-Type", "text/calendar")])
                #expect(answer.status == .unprocessableEntity && answer.isProblem, "\(what): \(answer.status)")
                #expect((answer.json["detail"] as? String ?? "").contains(line), "\(what): \(answer.json["detail"] ?? "")")
            }
            var latin1 = Data(file("").utf8)
            latin1.append(contentsOf: [0x4E, 0x61, 0x76, 0x69, 0x64, 0xE1, 0x64])
            let notUTF8 = try await app.call(.POST, path, token: f.admin, data: latin1, headers: [("Content-Type", "text/calendar")])
            #expect(notUTF8.status == .unprocessableEntity && (notUTF8.json["detail"] as? String ?? "").contains("UTF-8"))
            let shown = try await app.call(.GET, "/api/v1/calendars/\(calendar)", token: f.admin).json
            #expect((shown["holidays"] as? [[String: Any]])?.contains { $0["date"] as? String == "2026-12-25" } == false, "nothing partially imported")
            let imported = try await app.call(.POST, path, token: f.admin, raw: file(""), headers: [("Content-Type", "text/calendar")])
            #expect(imported.status == .ok && imported.json["added"] as? Int == 1, "\(imported.text)")
        }
    }

    @Test("NUL is refused in any JSON text with 400, and names refuse control characters", arguments: TestDatabase.all)
    func nulAndControls(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let before = try await rowCount(app, "organisations")
            let nul = try await app.call(.POST, "/api/v1/organisations", token: f.admin, raw: #"{"name":"Acme\u0000 Ltd"}"#)
            #expect(nul.status == .badRequest && nul.isProblem && (nul.json["detail"] as? String ?? "").contains("NUL"))
            let escaped = try await app.call(.POST, "/api/v1/organisations", token: f.admin, raw: #"{"name":"Back\\u0000slash"}"#)
            #expect(escaped.status == .created, "an escaped backslash before u0000 is text: \(escaped.text)")
            let bell = try await app.call(.POST, "/api/v1/organisations", token: f.admin, raw: #"{"name":"Ding\u0007 Ltd"}"#)
            #expect(bell.status == .unprocessableEntity, "\(bell.text)")
            #expect(try await rowCount(app, "organisations") == before + 1)
            let caseNUL = try await app.call(.POST, "/api/v1/cases", token: f.customer, raw: #"{"subject":"x","description":"a\u0000b"}"#)
            #expect(caseNUL.status == .badRequest)
        }
    }

    @Test("a body that is not JSON gets one readable sentence")
    func invalidBodyMessage() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let answer = try await app.call(.POST, "/api/v1/organisations", token: f.admin, raw: "{nope")
            #expect(answer.status == .badRequest && answer.json["detail"] as? String == "The request body is not valid JSON.", "\(answer.text)")
        }
    }

    @Test("a quotation's cite keeps only web addresses")
    func citeSanitised() {
        #expect(!HTMLSanitizer.sanitize(#"<q cite="javascript:alert(1)">x</q>"#).contains("javascript"))
        #expect(!HTMLSanitizer.sanitize(#"<q cite=" java&#x09;script:alert(1)">x</q>"#).lowercased().contains("script"))
        #expect(HTMLSanitizer.sanitize(#"<q cite="https://example.com/a">x</q>"#).contains(#"cite="https://example.com/a""#))
    }

    @Test("a page that fails answers an HTML page in the visitor's language with the pages' security headers", arguments: TestDatabase.all)
    func errorPages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let missing = try await app.call(.GET, "/desk/cases/CB-99999", headers: [("Cookie", browser.cookie), ("Accept", "text/html")])
            #expect(missing.status == .notFound)
            #expect(missing.headers.contentType?.subType == "html" && missing.text.contains("<h1>Not found</h1>"), "\(missing.text.prefix(300))")
            #expect((missing.headers.first(name: "Content-Security-Policy") ?? "").contains("frame-ancestors 'none'"))
            #expect(missing.headers.first(name: "X-Frame-Options") == "DENY")
            let expired = try await app.call(.POST, "/logout", raw: "_csrf=stale", headers: [("Cookie", browser.cookie), ("Accept", "text/html,*/*"),
                                                                                                 ("Content-Type", "application/x-www-form-urlencoded")])
            #expect(expired.status == .forbidden && expired.text.contains("Reload the page") && expired.headers.first(name: "X-Frame-Options") == "DENY")
            let unknown = try await app.call(.GET, "/no-such-page", headers: [("Accept", "text/html")])
            #expect(unknown.status == .notFound && unknown.text.contains("<h1>Not found</h1>") && unknown.headers.first(name: "X-Frame-Options") == "DENY")
            let api = try await app.call(.GET, "/api/v1/no-such-thing", headers: [("Accept", "text/html")])
            #expect(api.status == .notFound && api.isProblem, "the API answers problems whatever the Accept header says")
            let spanish = try await app.call(.POST, "/login", raw: "email=a%40b.example&password=x&_csrf=stale",
                                             headers: [("Accept", "text/html"), ("Accept-Language", "es-ES,es;q=0.9"),
                                                       ("Content-Type", "application/x-www-form-urlencoded")])
            #expect(spanish.status == .forbidden && spanish.text.contains("<h1>No permitido</h1>") && spanish.text.contains("lang=\"es\""))
            #expect(spanish.text.contains("Este formulario ha caducado o no procede de Casebook"), "the page's reason is in Spanish too")
        }
    }
}
