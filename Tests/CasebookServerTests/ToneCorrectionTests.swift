@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Correcting a message's tone")
struct ToneCorrectionTests {
    @Test("an agent corrects a reading: message and case take it, the record says who, it is counted and exported as a labelled set",
          arguments: TestDatabase.all)
    func correction(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Backup", description: "The backup failed again. Still no idea why, this is really annoying.")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["tone"] as? String == "frustrated")
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            let messageID = try #require(messages.first?["id"] as? String)
            let path = "/api/v1/cases/\(reference)/messages/\(messageID)/tone"

            let corrected = try await app.call(.PUT, path, token: f.agent, json: ["tone": "neutral"])
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(corrected.json["previous"] as? String == "frustrated" && corrected.json["tone"] as? String == "neutral"
                    && corrected.json["changed"] as? Bool == true)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["tone"] as? String == "neutral",
                    "the case takes the tone of its latest customer message")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.first?["tone"] as? String == "neutral")
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            #expect(timeline.contains { $0["field"] as? String == "tone" && $0["old_value"] as? String == "frustrated" && $0["new_value"] as? String == "neutral" },
                    "\(timeline)")
            // Setting the tone it already has changes and counts nothing.
            let again = try await app.call(.PUT, path, token: f.agent, json: ["tone": "neutral"])
            #expect(again.status == .ok && again.json["changed"] as? Bool == false)

            // Refusals: an unknown tone, a message not on this case, a staff reply (no tone), a customer.
            let unknown = try await app.call(.PUT, path, token: f.agent, json: ["tone": "livid"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("angry, frustrated, neutral, positive"), "\(unknown.text)")
            #expect(try await app.call(.PUT, "/api/v1/cases/\(reference)/messages/\(UUID())/tone", token: f.agent, json: ["tone": "angry"]).status == .notFound)
            let reply = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "We are on it."])
            let replyID = try #require(reply.json["id"] as? String)
            let staff = try await app.call(.PUT, "/api/v1/cases/\(reference)/messages/\(replyID)/tone", token: f.agent, json: ["tone": "angry"])
            #expect(staff.status == .unprocessableEntity, "\(staff.text)")
            #expect(try await app.call(.PUT, path, token: f.customer, json: ["tone": "angry"]).status == .forbidden)

            let report = try await app.call(.GET, "/api/v1/tone/corrections", token: f.manager)
            #expect(report.status == .ok, "\(report.text)")
            #expect(report.json["total"] as? Int == 1 && (report.json["messages_read"] as? Int ?? 0) >= 1)
            let counts = report.json["counts"] as? [[String: Any]] ?? []
            #expect(counts.count == 1 && counts.first?["from"] as? String == "frustrated" && counts.first?["to"] as? String == "neutral"
                    && counts.first?["language"] as? String == "en" && counts.first?["count"] as? Int == 1, "\(counts)")
            let items = report.json["items"] as? [[String: Any]] ?? []
            #expect(items.first?["reference"] as? String == reference && (items.first?["text"] as? String)?.contains("backup failed") == true)
            let tsv = try await app.call(.GET, "/api/v1/tone/corrections?format=tsv", token: f.manager)
            #expect(tsv.status == .ok && tsv.headers.first(name: .contentType)?.hasPrefix("text/tab-separated-values") == true)
            #expect(tsv.text == "label\ttext\nneutral\tThe backup failed again. Still no idea why, this is really annoying.\n", "\(tsv.text)")
            #expect(try await app.call(.GET, "/api/v1/tone/corrections?days=0", token: f.manager).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/tone/corrections?format=xml", token: f.manager).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/tone/corrections", token: f.customer).status == .forbidden)
        }
    }

    @Test("the case page shows why a message was read so and corrects it; the tone report counts it", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Invoice", description: "This is unacceptable, you charged us twice!!")
            let messageID = try #require(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.first?["id"] as? String).lowercased()
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let page = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(page.status == .ok)
            #expect(page.text.contains("class=\"tone-why\"") && page.text.contains("unacceptable") && page.text.contains("id=\"tone-\(messageID)\""))
            let posted = try await agent.post(app, "/desk/cases/\(reference)/messages/\(messageID)/tone", ["tone": "frustrated"])
            #expect(posted.status == .seeOther || posted.status == .found, "\(posted.status) \(posted.text)")
            #expect(posted.headers.first(name: .location)?.hasSuffix("#message-\(messageID)") == true)
            let after = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(after.text.contains("Tone set to frustrated") && after.text.contains("Set by hand by"), "the flash and who set it")
            let refused = try await agent.post(app, "/desk/cases/\(reference)/messages/\(messageID)/tone", ["tone": "<b>livid</b>"])
            #expect(refused.status == .seeOther || refused.status == .found)
            let shown = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(shown.text.contains("The tone was not changed") && !shown.text.contains("<b>livid</b>"))
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["tone"] as? String == "frustrated")
            let forged = try await agent.post(app, "/desk/cases/\(reference)/messages/\(messageID)/tone", ["tone": "positive"], csrf: "forged")
            #expect(forged.status == .forbidden)

            var manager = try await BrowserSession.signIn(app, email: "am@cb.example")
            let report = try await manager.get(app, "/reports/tone?days=7")
            #expect(report.status == .ok && report.text.contains("Tone corrections") && report.text.contains(reference), "\(report.text.prefix(400))")
            #expect(report.text.contains("/api/v1/tone/corrections?days=7&amp;format=tsv") || report.text.contains("/api/v1/tone/corrections?days=7&format=tsv"))
        }
    }
}
