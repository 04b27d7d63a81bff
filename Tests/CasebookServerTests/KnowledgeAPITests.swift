@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Knowledge base")
struct KnowledgeAPITests {
    static func article(_ app: Application, _ f: Fixture, _ body: [String: Any]) async throws -> String {
        let created = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: body)
        guard created.status == .created else { throw FixtureError(message: created.text) }
        return created.json["id"] as! String
    }

    @Test("suggestions while typing, only public published ones for customers; reading without filing is a deflection", arguments: TestDatabase.all)
    func suggestionsAndDeflection(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let jam = try await Self.article(app, f, ["title": "Printer jams on tray 2", "status": "published", "audience": "public",
                                                      "body": "When the printer jams on tray 2, open the rear door and remove the paper. Then set the paper guide to A4."])
            let spooler = try await Self.article(app, f, ["title": "Restart the print spooler", "status": "published", "audience": "internal",
                                                          "body": "Stop and start the spooler service on the print server when jobs are stuck."])
            _ = try await Self.article(app, f, ["title": "Printer jam draft", "body": "Not ready yet: printer jams"])

            let suggested = try await app.call(.GET, "/api/v1/knowledge/suggest?q=my%20printer%20keeps%20jamming%20on%20tray%202", token: f.customer)
            #expect(suggested.status == .ok)
            let ids = (suggested.json["articles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == [jam], "public and published only, for a customer")
            let suggestion = try #require(suggested.json["suggestion_id"] as? String)
            #expect(try await app.call(.POST, "/api/v1/knowledge/suggestions/\(suggestion)/read", token: f.customer, json: ["article_id": jam]).status == .noContent)
            #expect(try await app.call(.POST, "/api/v1/knowledge/suggestions/\(suggestion)/read", token: f.customer, json: ["article_id": spooler]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/knowledge/suggestions/\(suggestion)/read", token: f.colleague, json: ["article_id": jam]).status == .notFound)

            // A second visitor reads the suggestion and files anyway.
            let second = try await app.call(.GET, "/api/v1/knowledge/suggest?q=printer%20jams", token: f.colleague)
            let secondID = second.json["suggestion_id"] as! String
            _ = try await app.call(.POST, "/api/v1/knowledge/suggestions/\(secondID)/read", token: f.colleague, json: ["article_id": jam])
            let filed = try await app.call(.POST, "/api/v1/cases", token: f.colleague,
                                           json: ["subject": "Printer still jams", "description": "Tried the article", "suggestion_id": secondID])
            #expect(filed.status == .created)
            let deflection = try await app.call(.GET, "/api/v1/reports/deflection", token: f.manager)
            #expect(deflection.json["shown"] as? Int == 2 && deflection.json["read"] as? Int == 2)
            #expect(deflection.json["read_then_filed"] as? Int == 1 && deflection.json["deflected"] as? Int == 1 && deflection.json["deflection_percent"] as? Double == 50)

            let staffSuggest = try await app.call(.GET, "/api/v1/knowledge/suggest?q=print%20spooler%20stuck", token: f.agent)
            #expect((staffSuggest.json["articles"] as? [[String: Any]])?.first?["id"] as? String == spooler)
            #expect(try await app.call(.GET, "/api/v1/knowledge/articles/\(spooler)", token: f.customer).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/knowledge/articles/\(jam)", token: f.customer).json["views"] as? Int == 0)
            #expect(try await app.call(.GET, "/api/v1/knowledge/articles", token: f.customer).list.count == 1)
            #expect(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.customer, json: ["title": "x", "body": "y"]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: ["body": "no title"]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: ["title": "x", "body": "y", "status": "live"]).status.code == 400)
        }
    }

    @Test("on the case: agent suggestions, 'solved by this article' on the timeline, an article drafted from the solution", arguments: TestDatabase.all)
    func caseKnowledge(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let jam = try await Self.article(app, f, ["title": "Printer jams on tray 2", "status": "published", "audience": "public",
                                                      "body": "Open the rear door and remove the paper."])
            let reference = try await f.openCase(app)
            let suggestions = try await app.call(.GET, "/api/v1/cases/\(reference)/suggestions", token: f.agent).list
            #expect(suggestions.first?["id"] as? String == jam)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/suggestions", token: f.customer).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/articles", token: f.agent, json: ["article_id": jam]).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/articles", token: f.customer).list.first?["id"] as? String == jam)
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer).list
            #expect(timeline.contains { $0["kind"] as? String == "article_linked" })

            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/article-draft", token: f.agent).status == .conflict, "no answer yet")
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                   json: ["text": "Set the paper guide on tray 2 to A4; the jams stop."])
            let draft = try await app.call(.POST, "/api/v1/cases/\(reference)/article-draft", token: f.agent)
            #expect(draft.status == .created && draft.json["status"] as? String == "draft" && draft.json["source_case"] as? String == reference)
            #expect((draft.json["body"] as? String)?.contains("Set the paper guide on tray 2 to A4") == true)
        }
    }

    @Test("the public knowledge base: search, read, 'was this helpful?'; drafts and internal articles are not there", arguments: TestDatabase.all)
    func portal(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let jam = try await Self.article(app, f, ["title": "Printer jams <b>on</b> tray 2", "status": "published", "audience": "public",
                                                      "body": "Open the rear door.\n\nRemove the paper."])
            let staffOnly = try await Self.article(app, f, ["title": "Spooler", "status": "published", "audience": "internal", "body": "internal notes"])
            let index = try await app.call(.GET, "/kb?q=printer%20jam")
            #expect(index.status == .ok && index.text.contains("Printer jams &lt;b&gt;on&lt;/b&gt; tray 2"))
            let page = try await app.call(.GET, "/kb/\(jam)")
            #expect(page.text.contains("<p>Open the rear door.</p><p>Remove the paper.</p>") && page.text.contains("Was this helpful?"))
            #expect(try await app.call(.GET, "/kb/\(staffOnly)").status == .notFound)
            let voted = try await app.call(.POST, "/kb/\(jam)/feedback", raw: "helpful=true", headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(voted.status == .ok)
            #expect(try await app.call(.POST, "/api/v1/knowledge/articles/\(jam)/feedback", token: f.customer, json: ["helpful": false]).status == .noContent)
            let article = try await app.call(.GET, "/api/v1/knowledge/articles/\(jam)", token: f.agent)
            #expect(article.json["helpful"] as? Int == 1 && article.json["not_helpful"] as? Int == 1 && (article.json["views"] as? Int ?? 0) >= 1)
        }
    }
}
