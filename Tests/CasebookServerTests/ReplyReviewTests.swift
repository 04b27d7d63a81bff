@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Replies reviewed by a colleague fluent in their language")
struct ReplyReviewTests {
    static let spanish = "Hola Carla, hemos reiniciado el servidor de impresión y la cola funciona de nuevo. ¿Puedes comprobarlo cuando tengas un momento?"

    /// A Spanish-speaking customer, and Lucía, an agent who writes Spanish and English.
    static func setUp(_ app: Application, _ f: Fixture) async throws -> (reference: String, lucia: String) {
        let language = try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es"])
        #expect(language.status == .ok, "\(language.text)")
        let created = try await app.call(.POST, "/api/v1/users", token: f.admin, json: [
            "email": "lucia@cb.example", "name": "Lucía", "role": "agent", "password": "a-good-password", "writes_languages": ["es", "EN", "es"]])
        #expect(created.status == .created && created.json["writes_languages"] as? [String] == ["en", "es"], "\(created.text)")
        let lucia = try await AdminOperations.issueToken(app, email: "lucia@cb.example", name: "t")
        let reference = try await f.openCase(app, subject: "La impresora no imprime", description: "Hola, la impresora de la planta 2 no imprime desde esta mañana.")
        return (reference, lucia)
    }

    @Test("a reply in a language its author does not list waits; a fluent colleague edits and sends it; the clocks count it at send",
          arguments: TestDatabase.all)
    func heldThenApproved(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let (reference, lucia) = try await Self.setUp(app, f)
            let mailsBefore = try await rowCount(app, "outbound_messages")

            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish, "status": "pending_customer"])
            #expect(held.status == .accepted, "\(held.text)")
            #expect(held.json["state"] as? String == "waiting" && held.json["language"] as? String == "es" && held.json["reason"] as? String == "language")
            let id = try #require(held.json["id"] as? String)
            var state = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(state["first_response_at"] == nil && state["status"] as? String == "new", "nothing reached the customer yet")
            #expect(try await rowCount(app, "outbound_messages") == mailsBefore)
            let seen = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list
            #expect(!seen.contains { ($0["text"] as? String)?.contains("reiniciado") == true })
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            #expect(timeline.contains { $0["kind"] as? String == "reply_held" && $0["new_value"] as? String == "es" }, "\(timeline)")

            // Lucía, who writes Spanish, is told; the author and the admin (who writes English only) are not.
            let told = try await app.call(.GET, "/api/v1/notifications", token: lucia).json["items"] as? [[String: Any]] ?? []
            #expect(told.contains { $0["kind"] as? String == "review_requested" && $0["case_reference"] as? String == reference }, "\(told)")
            let adminTold = try await app.call(.GET, "/api/v1/notifications", token: f.admin).json["items"] as? [[String: Any]] ?? []
            #expect(!adminTold.contains { $0["kind"] as? String == "review_requested" })

            // The queue: Lucía sees it among her languages; the author does not; customers may not look.
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?for_me=true", token: lucia).list.map { $0["id"] as? String } == [id])
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?for_me=true", token: f.agent).list.isEmpty)
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?language=es", token: f.agent).list.count == 1)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/reply-reviews", token: f.agent).list.count == 1)
            #expect(try await app.call(.GET, "/api/v1/reply-reviews", token: f.customer).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?state=lost", token: f.agent).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?language=pt", token: f.agent).status == .unprocessableEntity)

            // Who may not approve: its author, an account manager, an admin who does not write Spanish.
            let own = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: f.agent, json: [:])
            #expect(own.status == .forbidden && own.isProblem, "\(own.text)")
            #expect(try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: f.manager, json: [:]).status == .forbidden)
            let admin = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: f.admin, json: [:])
            #expect(admin.status == .forbidden && admin.text.contains("es"), "\(admin.text)")
            #expect(try await app.call(.POST, "/api/v1/reply-reviews/\(UUID())/approve", token: lucia, json: [:]).status == .notFound)

            clock.advance(600)
            let edited = "Hola Carla: hemos reiniciado el servidor de impresión y la cola vuelve a funcionar. ¿Puedes comprobarlo cuando tengas un momento?"
            let approved = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: lucia, json: ["text": edited, "note": "Pequeños retoques."])
            #expect(approved.status == .ok && approved.json["state"] as? String == "sent" && approved.json["decided_by_name"] as? String == "Lucía",
                    "\(approved.text)")
            let messageID = try #require(approved.json["message_id"] as? String)
            state = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(state["status"] as? String == "pending_customer", "the status asked with the reply is applied at send")
            let firstResponse = try #require(state["first_response_at"] as? String)
            #expect(abs((try Date(firstResponse, strategy: .iso8601)).timeIntervalSince(clock.now)) < 1, "the first response counts when it was sent")
            let sent = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list.first { $0["id"] as? String == messageID }
            #expect(sent?["text"] as? String == edited && (sent?["author_id"] as? String)?.lowercased() == f.agentID.lowercased(),
                    "sent as its author's reply, in the reviewer's words")
            #expect(try await rowCount(app, "outbound_messages") > mailsBefore, "the customer is mailed")
            let after = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.agent).list
            #expect(after.contains { $0["kind"] as? String == "reply_reviewed" && $0["field"] as? String == "edited" && $0["new_value"] as? String == "Pequeños retoques." })
            let twice = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: lucia, json: [:])
            #expect(twice.status == .conflict && twice.isProblem, "\(twice.text)")
        }
    }

    @Test("returned with a note, withdrawn by the author; notes, English replies and listed languages go straight out", arguments: TestDatabase.all)
    func returnedWithdrawnAndDirect(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (reference, lucia) = try await Self.setUp(app, f)
            let first = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish])
            let id = try #require(first.json["id"] as? String)
            let noNote = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/return", token: lucia, json: ["note": "  "])
            #expect(noNote.status == .unprocessableEntity && noNote.isProblem)
            let returned = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/return", token: lucia, json: ["note": "Usa «usted» con este cliente."])
            #expect(returned.status == .ok && returned.json["state"] as? String == "returned" && returned.json["note"] as? String == "Usa «usted» con este cliente.")
            #expect(try await app.call(.POST, "/api/v1/reply-reviews/\(id)/withdraw", token: f.agent).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["first_response_at"] == nil)

            let second = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish])
            let secondID = try #require(second.json["id"] as? String)
            #expect(try await app.call(.POST, "/api/v1/reply-reviews/\(secondID)/withdraw", token: lucia).status == .forbidden, "only its author or an admin")
            let withdrawn = try await app.call(.POST, "/api/v1/reply-reviews/\(secondID)/withdraw", token: f.agent)
            #expect(withdrawn.status == .ok && withdrawn.json["state"] as? String == "withdrawn")
            #expect(try await app.call(.GET, "/api/v1/reply-reviews", token: f.agent).list.isEmpty, "nothing waits")
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?state=returned", token: f.agent).list.count == 1)

            let note = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish, "visibility": "internal"])
            #expect(note.status == .created, "internal notes are never held")
            let english = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "We restarted the print server; please check."])
            #expect(english.status == .created, "\(english.text)")
            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: lucia, json: ["text": Self.spanish])
            #expect(held.status == .created, "Lucía lists Spanish")

            // The agent lists Spanish too, on their own record; an unknown code is refused and changes nothing.
            let unknown = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.agent, json: ["writes_languages": ["en", "pt"]])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("writes_languages"), "\(unknown.text)")
            let listed = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.agent, json: ["writes_languages": ["es", "en"]])
            #expect(listed.status == .ok && listed.json["writes_languages"] as? [String] == ["en", "es"], "\(listed.text)")
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish]).status == .created)
        }
    }

    @Test("a rule asks for every reply on a case to be reviewed: even a reply in the author's own language waits", arguments: TestDatabase.all)
    func heldByRule(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let rule = try await app.call(.POST, "/api/v1/automations", token: f.admin, json: [
                "name": "Review replies to legal", "trigger": "case_created",
                "conditions": [["field": "subject", "operator": "contains", "value": "contract"]],
                "actions": [["type": "review_replies"]]])
            #expect(rule.status == .created, "\(rule.text)")
            let dryRun = try await app.call(.POST, "/api/v1/automations/dry-run", token: f.admin, json: [
                "trigger": "time", "conditions": [["field": "subject", "operator": "contains", "value": "contract"]], "actions": [["type": "review_replies"]]])
            #expect(dryRun.status == .ok, "\(dryRun.text)")
            let reference = try await f.openCase(app, subject: "Question about our contract", description: "Can we extend the contract to a second site?")
            if let item = (dryRun.json["items"] as? [[String: Any]])?.first { #expect(item["review_replies"] as? Bool == true) }
            let other = try await f.openCase(app, subject: "Printer jams", description: "It jams.")

            let english = "Hello Carla, yes: the contract can cover a second site from next month. I will send the amendment."
            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": english])
            #expect(held.status == .accepted && held.json["reason"] as? String == "rule" && held.json["language"] as? String == "en", "\(held.text)")
            #expect(try await app.call(.POST, "/api/v1/cases/\(other)/messages", token: f.agent, json: ["text": english]).status == .created,
                    "only the case the rule matched")
            let id = try #require(held.json["id"] as? String)
            let approved = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: f.admin, json: [:])
            #expect(approved.status == .ok && approved.json["state"] as? String == "sent", "an English-writing colleague reviews it: \(approved.text)")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["first_response_at"] != nil)
        }
    }

    @Test("erasing takes a held reply's words and files too: retention blanks and withdraws it, anonymising a person scrubs them", arguments: TestDatabase.all)
    func erasure(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (reference, _) = try await Self.setUp(app, f)
            let file = Data("plano de la planta 2".utf8)
            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: [
                "text": Self.spanish + " Escríbenos a carla@acme.example si hace falta.",
                "attachments": [["filename": "plano.txt", "data": file.base64EncodedString()]]])
            #expect(held.status == .accepted, "\(held.text)")
            let id = try #require(held.json["id"] as? String)
            let digest = BlobDigest.of(file)
            #expect((held.json["attachments"] as? [[String: Any]])?.first?["sha256"] as? String == digest)
            #expect(try await app.casebook.blobs.get(digest) != nil, "the file waits in the file store")

            // A person's anonymising scrubs their address out of the held reply.
            let record = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            try await PrivacyTests.solve(app, reference, token: f.agent)
            let anonymised = try await app.call(.POST, "/api/v1/privacy/\(f.customerID)/anonymise", token: f.admin, json: ["confirm": "carla@acme.example"])
            #expect(anonymised.status == .ok, "\(anonymised.text)")
            let scrubbed = try await app.call(.GET, "/api/v1/reply-reviews/\(id)", token: f.agent).text
            #expect(!scrubbed.contains("carla@acme.example") && scrubbed.contains("reiniciado"), "\(scrubbed)")

            // Retention's anonymising blanks it, withdraws it, and lets its file go.
            let sql = app.db as! any SQLDatabase
            let caseID = try #require((record["id"] as? String).flatMap(UUID.init(uuidString:)))
            let number = try #require(record["number"] as? Int)
            let digests = try await CaseErasureRepository.anonymise([(caseID, number)], reason: "test", at: Date(), on: sql)
            let unused = try await StoredFileRepository.unused(digests, on: sql)
            #expect(digests.contains(digest) && unused.contains(digest))
            let after = try await app.call(.GET, "/api/v1/reply-reviews/\(id)", token: f.agent).json
            #expect(after["state"] as? String == "withdrawn" && after["text"] as? String == CaseErasureRepository.removedText
                    && (after["attachments"] as? [Any])?.isEmpty == true, "\(after)")
        }
    }

    @Test("the case page shows the held reply; the review page approves it with the reviewer's words; a refusal keeps them", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (reference, _) = try await Self.setUp(app, f)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/desk/cases/\(reference)")
            let posted = try await agent.post(app, "/desk/cases/\(reference)/messages", ["text": Self.spanish, "visibility": "public"])
            #expect(posted.headers.first(name: .location)?.hasSuffix("#held-replies") == true, "\(posted.status) \(posted.text)")
            let casePage = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(casePage.text.contains("id=\"held-replies\"") && casePage.text.contains("Waiting for a colleague who writes Español"))
            #expect(casePage.text.contains("waits for a colleague who writes this language well"), "the flash")
            let id = try #require(try await app.call(.GET, "/api/v1/reply-reviews", token: f.agent).list.first?["id"] as? String).lowercased()
            #expect(casePage.text.contains("id=\"held-\(id)-withdraw\"") && !casePage.text.contains("id=\"held-\(id)-approve\""), "the author withdraws, never approves")

            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            _ = try await admin.get(app, "/desk/reviews?all=1")
            let refused = try await admin.post(app, "/desk/reviews/\(id)/approve", ["text": "Texto de la administradora", "back": "/desk/reviews?all=1"])
            #expect(refused.status == .seeOther || refused.status == .found)
            let shownAgain = try await admin.get(app, "/desk/reviews?all=1")
            #expect(shownAgain.text.contains("id=\"held-\(id)-error\"") && shownAgain.text.contains("add it to the languages you write well"), "\(shownAgain.text)")

            var lucia = try await BrowserSession.signIn(app, email: "lucia@cb.example")
            let queue = try await lucia.get(app, "/desk/reviews")
            #expect(queue.status == .ok && queue.text.contains("id=\"held-\(id)-approve\"") && queue.text.contains("reiniciado"))
            #expect(try await lucia.get(app, "/desk").text.contains("id=\"reviews-link\""), "the desk links to the queue")
            let approved = try await lucia.post(app, "/desk/reviews/\(id)/approve", ["text": Self.spanish + " Saludos.", "back": "/desk/reviews"])
            #expect(approved.status == .seeOther || approved.status == .found)
            #expect(try await lucia.get(app, "/desk/reviews").text.contains("The reply was sent to the customer."))
            let customerSees = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list
            #expect(customerSees.contains { ($0["text"] as? String)?.hasSuffix("Saludos.") == true })
            let finalPage = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(finalPage.text.contains("Sent after review by Lucía"))

            // A returned reply goes back into its author's composer to change and send again.
            let second = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish + " Gracias."])
            let secondID = try #require(second.json["id"] as? String).lowercased()
            _ = try await lucia.post(app, "/desk/reviews/\(secondID)/return", ["note": "Falta el saludo final.", "back": "/desk/reviews"])
            let returnedPage = try await agent.get(app, "/desk/cases/\(reference)")
            #expect(returnedPage.text.contains("Falta el saludo final.") && returnedPage.text.contains("id=\"held-\(secondID)-redraft\""))
            let redraft = try await agent.get(app, "/desk/cases/\(reference)?redraft=\(secondID)")
            #expect(redraft.text.contains("name=\"text\" rows=\"7\" required>\(Self.spanish) Gracias.</textarea>"), "the composer holds the returned words")

            let account = try await agent.get(app, "/account")
            #expect(account.text.contains("id=\"writes-panel\"") && account.text.contains("id=\"writes-en\" checked"))
            let saved = try await agent.post(app, "/account/languages", ["writes[]": "es"])
            #expect(saved.status == .seeOther || saved.status == .found, "\(saved.text)")
            #expect(try await app.call(.GET, "/api/v1/users/\(f.agentID)", token: f.admin).json["writes_languages"] as? [String] == ["es"])
        }
    }

    @Test("bad input is refused with the field named and the held reply left waiting", arguments: TestDatabase.all)
    func badInput(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (reference, lucia) = try await Self.setUp(app, f)
            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": Self.spanish])
            let id = try #require(held.json["id"] as? String)

            let long = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: lucia,
                                          json: ["text": String(repeating: "palabra ", count: 12_501)])
            #expect(long.status == .unprocessableEntity && long.isProblem && long.text.contains("text"), "\(long.text)")
            let note = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/approve", token: lucia,
                                          json: ["note": String(repeating: "n", count: 2_001)])
            #expect(note.status == .unprocessableEntity && note.text.contains("note"), "\(note.text)")
            let returned = try await app.call(.POST, "/api/v1/reply-reviews/\(id)/return", token: lucia, json: ["note": "   "])
            #expect(returned.status == .unprocessableEntity && returned.text.contains("note"), "\(returned.text)")
            #expect(try await app.call(.GET, "/api/v1/reply-reviews/\(id)", token: f.agent).json["state"] as? String == "waiting",
                    "a refused decision decides nothing")

            for limit in ["0", "1001"] {
                let answer = try await app.call(.GET, "/api/v1/reply-reviews?limit=\(limit)", token: f.agent)
                #expect(answer.status == .unprocessableEntity && answer.text.contains("limit"), "\(limit): \(answer.text)")
            }
            #expect(try await app.call(.GET, "/api/v1/reply-reviews?limit=many", token: f.agent).status.code / 100 == 4)

            let languagesBefore = try await app.call(.GET, "/api/v1/users/\(f.agentID)", token: f.admin).json["writes_languages"] as? [String]
            let many = Array(repeating: ["en", "es", "fr", "de"], count: 6).flatMap { $0 }
            let tooMany = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["writes_languages": many])
            #expect(tooMany.status == .unprocessableEntity && tooMany.text.contains("writes_languages"), "\(tooMany.text)")
            let unknown = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["writes_languages": ["tlh"]])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("tlh"), "\(unknown.text)")
            #expect(try await app.call(.GET, "/api/v1/users/\(f.agentID)", token: f.admin).json["writes_languages"] as? [String] == languagesBefore)

            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/account")
            let zone = try await agent.post(app, "/account/time-zone", ["time_zone": "Mars/Olympus_Mons"])
            #expect(zone.status == .unprocessableEntity && zone.text.contains("IANA time zone") && zone.text.contains("id=\"zone-panel\""), "\(zone.text)")
            #expect(try await app.call(.GET, "/api/v1/users/\(f.agentID)", token: f.admin).json["time_zone"] as? String ?? "UTC" == "UTC")
        }
    }
}
