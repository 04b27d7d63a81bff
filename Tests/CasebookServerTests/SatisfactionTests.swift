@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Satisfaction surveys")
struct SatisfactionTests {
    static func solve(_ app: Application, _ f: Fixture, _ reference: String) async throws {
        let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as! Int
        let solved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                        json: ["status": "solved", "assignee_id": f.agentID, "version": version])
        guard solved.status == .ok else { throw FixtureError(message: solved.text) }
    }

    @Test("a solved case gets one survey by email; its link takes one answer; the portal rates too; figures by agent, organisation and month, also as CSV", arguments: TestDatabase.all)
    func surveys(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let first = try await f.openCase(app)
            let second = try await f.openCase(app, subject: "Scanner", description: "The scanner is slow")
            let open = try await f.openCase(app, subject: "Still open", description: "x")
            try await Self.solve(app, f, first)
            try await Self.solve(app, f, second)
            #expect(try await SatisfactionSurveys(services: app.casebook).sendDue() == 2)
            #expect(try await SatisfactionSurveys(services: app.casebook).sendDue() == 0, "once per case")
            // A case solved long before surveys existed (an upgrade) is not surveyed.
            let old = try await f.openCase(app, subject: "Old", description: "Solved long ago")
            try await Self.solve(app, f, old)
            try await (app.db as! any SQLDatabase).raw("UPDATE cases SET solved_at = \(bind: Date(timeIntervalSince1970: 1_000_000_000)) WHERE subject = 'Old'").run()
            #expect(try await SatisfactionSurveys(services: app.casebook).sendDue() == 0)
            let mails = try await (app.db as! any SQLDatabase).raw("SELECT raw FROM outbound_messages WHERE kind = 'survey'").all()
                .map { try $0.decode(column: "raw", as: String.self) }
            #expect(mails.count == 2)
            let link = try #require(mails.first.flatMap { $0.range(of: #"/surveys/[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(mails[0][$0]) } })

            let page = try await app.call(.GET, link + "?score=4")
            #expect(page.status == .ok && page.text.contains("How did we do?") && page.text.contains("value=\"4\" required checked"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("form-action 'self'") == true)
            let bad = try await app.call(.POST, link, raw: "score=9", headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(bad.status == .unprocessableEntity && bad.isProblem)
            let answered = try await app.call(.POST, link, raw: "score=2&comment=Took+too+long", headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(answered.status == .ok && answered.text.contains("recorded"))
            let again = try await app.call(.POST, link, raw: "score=5", headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(again.status == .conflict, "one answer per case")
            #expect(try await app.call(.GET, link).text.contains("already answered"))
            #expect(try await app.call(.GET, "/surveys/" + String(repeating: "x", count: 43)).status == .notFound)

            // The portal: the requester rates the other solved case; nobody else can, and an open case cannot be rated.
            let other = mails.contains { $0.contains(first) } ? second : first
            #expect(try await app.call(.POST, "/api/v1/cases/\(open)/satisfaction", token: f.customer, json: ["score": 5]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/cases/\(other)/satisfaction", token: f.agent, json: ["score": 5]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(other)/satisfaction", token: f.outsider, json: ["score": 5]).status == .notFound)
            let rated = try await app.call(.POST, "/api/v1/cases/\(other)/satisfaction", token: f.customer, json: ["score": 5, "comment": "Great help"])
            #expect(rated.status == .created && rated.json["score"] as? Int == 5)

            let byAgent = try await app.call(.GET, "/api/v1/reports/satisfaction?group_by=agent", token: f.manager)
            #expect(byAgent.status == .ok)
            #expect(byAgent.json["surveys_sent"] as? Int == 2 && byAgent.json["responses"] as? Int == 2 && byAgent.json["average"] as? Double == 3.5)
            let rows = byAgent.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 1 && rows[0]["name"] as? String == "agent" && rows[0]["satisfied_percent"] as? Double == 50)
            let byOrganisation = try await app.call(.GET, "/api/v1/reports/satisfaction?group_by=organisation", token: f.agent)
            #expect((byOrganisation.json["rows"] as? [[String: Any]])?.first?["name"] as? String == "Acme")
            let byMonth = try await app.call(.GET, "/api/v1/reports/satisfaction?group_by=month&format=csv", token: f.agent)
            #expect(byMonth.headers.contentType?.subType == "csv" && byMonth.text.hasPrefix("month,name,responses,average,satisfied_percent\r\n"))
            #expect(try await app.call(.GET, "/api/v1/reports/satisfaction?group_by=weather", token: f.agent).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/reports/satisfaction", token: f.customer).status == .forbidden)
            let account = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)/account", token: f.manager)
            #expect(account.json["satisfaction_responses"] as? Int == 2 && account.json["satisfaction_average"] as? Double == 3.5)
        }
    }

    @Test("CSV fields are quoted, and formulas are neutralised")
    func csvFields() {
        #expect(CSVField.quote("plain") == "plain")
        #expect(CSVField.quote("a,b") == "\"a,b\"")
        #expect(CSVField.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.quote("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVField.quote("-3.5") == "-3.5")
    }
}
