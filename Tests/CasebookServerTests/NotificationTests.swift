@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Agent notifications and followers")
struct NotificationTests {
    /// A second agent, "Ben Ortiz" <ben@cb.example>, with their token and id.
    static func ben(_ app: Application, _ f: Fixture) async throws -> (token: String, id: String) {
        let created = try await app.call(.POST, "/api/v1/users", token: f.admin,
                                         json: ["email": "ben@cb.example", "name": "Ben Ortiz", "role": "agent", "password": "a-good-password"])
        return (try await AdminOperations.issueToken(app, email: "ben@cb.example", name: "t"), try #require(created.json["id"] as? String))
    }

    static func notices(_ app: Application, _ token: String, query: String = "") async throws -> (items: [[String: Any]], unread: Int) {
        let answer = try await app.call(.GET, "/api/v1/notifications" + query, token: token)
        #expect(answer.status == .ok, "\(answer.text)")
        return ((answer.json["items"] as? [[String: Any]]) ?? [], answer.json["unread_count"] as? Int ?? -1)
    }

    @Test("the new owner hears a case was assigned to them, its owner and followers hear the customer reply, a person named with @ in a note hears it; nobody hears about their own doing",
          arguments: TestDatabase.all)
    func whoHearsWhat(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let ben = try await Self.ben(app, f)
            let reference = try await f.openCase(app)
            let assigned = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "assignee_id": ben.id])
            #expect(assigned.status == .ok, "\(assigned.text)")
            var benSees = try await Self.notices(app, ben.token)
            #expect(benSees.items.map { $0["kind"] as? String } == ["assigned"] && benSees.unread == 1, "\(benSees.items)")
            #expect(benSees.items.first?["case_reference"] as? String == reference && benSees.items.first?["actor_name"] as? String == "agent")
            #expect(try await Self.notices(app, f.agent).items.isEmpty, "the agent who assigned it is not told")

            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/followers", token: f.agent).status == .created)
            let followers = try await app.call(.GET, "/api/v1/cases/\(reference)/followers", token: ben.token).list
            #expect(followers.map { $0["email"] as? String } == ["agent@cb.example"])

            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Still jamming after the new toner."])
            benSees = try await Self.notices(app, ben.token)
            #expect(benSees.items.first?["kind"] as? String == "customer_replied" && benSees.unread == 2)
            #expect(benSees.items.first?["excerpt"] as? String == "Still jamming after the new toner.")
            #expect(try await Self.notices(app, f.agent).items.first?["kind"] as? String == "customer_replied", "followers hear it too")

            let note = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                          json: ["text": "@ben can you check the fuser? Mail ben@cb.example is not a mention.", "visibility": "internal"])
            #expect(note.status == .created, "\(note.text)")
            benSees = try await Self.notices(app, ben.token)
            #expect(benSees.items.first?["kind"] as? String == "mentioned" && benSees.unread == 3, "one notice, the one that matters most: \(benSees.items)")
            #expect(try await Self.notices(app, f.agent).items.count == 1, "the note's author hears nothing about it")

            // Ben's own note reaches the follower as activity; solving reaches them too.
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: ben.token, json: ["text": "Fuser replaced.", "visibility": "internal"])
            #expect(try await Self.notices(app, f.agent).items.first?["kind"] as? String == "activity")
            #expect(try await app.call(.GET, "/api/v1/notifications", token: f.customer).status == .forbidden)
        }
    }

    @Test("notices are marked read one by one, all at once, or by opening the case; preferences choose the list and the mail per kind",
          arguments: TestDatabase.all)
    func readingAndPreferences(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let ben = try await Self.ben(app, f)
            var version = 1
            let reference = try await f.openCase(app)
            for priority in ["high", "low"] {
                _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": version, "assignee_id": ben.id, "priority": priority])
                version += 1
            }
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Any news?"])
            let seen = try await Self.notices(app, ben.token)
            #expect(seen.unread == 2, "one assignment (the priority change is no news), one reply: \(seen.items)")
            let first = try #require(seen.items.last?["id"] as? String)
            let marked = try await app.call(.POST, "/api/v1/notifications/read", token: ben.token, json: ["ids": [first]])
            #expect(marked.status == .ok && marked.json["unread_count"] as? Int == 1)
            #expect(try await Self.notices(app, ben.token, query: "?unread=true").items.count == 1)
            #expect(try await app.call(.POST, "/api/v1/notifications/read", token: ben.token, json: ["all": true]).json["unread_count"] as? Int == 0)
            #expect(try await Self.notices(app, ben.token).items.count == 2, "read notices stay in the list")

            let defaults = try await app.call(.GET, "/api/v1/notifications/preferences", token: ben.token).json["items"] as? [[String: Any]] ?? []
            #expect(defaults.count == NotificationKind.allCases.count && defaults.allSatisfy { $0["in_app"] as? Bool == true })
            #expect(defaults.first { $0["kind"] as? String == "activity" }?["email"] as? Bool == false)
            let changed = try await app.call(.PUT, "/api/v1/notifications/preferences", token: ben.token,
                                             json: ["items": [["kind": "customer_replied", "in_app": false, "email": true]]])
            #expect(changed.status == .ok, "\(changed.text)")
            let items = changed.json["items"] as? [[String: Any]] ?? []
            #expect(items.first { $0["kind"] as? String == "customer_replied" }?["in_app"] as? Bool == false)
            #expect(items.first { $0["kind"] as? String == "assigned" }?["email"] as? Bool == true, "kinds not named keep their choice")

            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Hello again"])
            #expect(try await Self.notices(app, ben.token).unread == 0, "not in the list")
            let sql = try #require(app.db as? any SQLDatabase)
            let mails = try await sql.raw("SELECT raw FROM outbound_messages WHERE kind = 'notification' AND recipients = 'ben@cb.example'").all()
                .map { try $0.decode(column: "raw", as: String.self) }
            #expect(mails.contains { $0.contains("The customer replied") && $0.contains("By carla") && $0.contains("Hello again") && $0.contains("/desk/cases/\(reference)") },
                    "mailed as chosen: \(mails.map { $0.prefix(400) })")
            #expect(mails.contains { $0.contains("Assigned to you") }, "assignments are mailed by default")
        }
    }

    @Test("a case's owner and followers hear of its service-level warning and breach, once each", arguments: TestDatabase.all)
    func serviceLevels(database: TestDatabase) async throws {
        let clock = TestClock(ServiceLevelAPITests.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let ben = try await Self.ben(app, f)
            _ = try await ServiceLevelAPITests.setUp(app, f)
            let reference = try await ServiceLevelAPITests.openHighCase(app, f)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "assignee_id": ben.id])
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/followers", token: f.agent)
            clock.advance(50 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            clock.advance(20 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            for token in [ben.token, f.agent] {
                let kinds = try await Self.notices(app, token).items.compactMap { $0["kind"] as? String }
                #expect(kinds.filter { $0 == "sla_warning" }.count == 1 && kinds.filter { $0 == "sla_breach" }.count == 1, "\(kinds)")
            }
            let breach = try await Self.notices(app, f.agent).items.first { $0["kind"] as? String == "sla_breach" }
            #expect((breach?["excerpt"] as? String)?.isEmpty == false && breach?["actor_name"] == nil, "explained, by nobody: \(String(describing: breach))")
        }
    }

    @Test("bad requests are refused clearly and change nothing", arguments: TestDatabase.all)
    func badInput(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            for (method, path, body) in [(HTTPMethod.GET, "/api/v1/notifications?limit=500", nil as Any?),
                                         (.POST, "/api/v1/notifications/read", [String: Any]()),
                                         (.PUT, "/api/v1/notifications/preferences", ["items": [["kind": "gossip"]]]),
                                         (.PUT, "/api/v1/notifications/preferences", ["items": [["kind": "mentioned"], ["kind": "mentioned"]]]),
                                         (.PUT, "/api/v1/notifications/preferences", [String: Any]()),
                                         (.POST, "/api/v1/cases/\(reference)/followers", ["user_id": f.customerID])] {
                let answer = try await app.call(method, path, token: f.agent, json: body)
                #expect(answer.status == .unprocessableEntity && answer.text.contains("detail"), "\(path) \(String(describing: body)): \(answer.text)")
            }
            for (path, body) in [("/api/v1/notifications/read", ["ids": ["not-an-id"]] as [String: Any]),
                                 ("/api/v1/notifications/read", ["ids": (0..<501).map { _ in UUID().uuidString }]),
                                 ("/api/v1/cases/\(reference)/followers", ["user_id": "not-an-id"])] {
                let answer = try await app.call(.POST, path, token: f.agent, json: body)
                #expect([400, 422].contains(answer.status.code) && answer.text.contains("detail"), "\(path): \(answer.text)")
            }
            #expect(try await app.call(.GET, "/api/v1/notifications?limit=abc", token: f.agent).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/notifications?unread=maybe", token: f.agent).status == .unprocessableEntity)

            // Someone else's notice cannot be marked read, nor opened from the page.
            let ben = try await Self.ben(app, f)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "assignee_id": ben.id])
            let bens = try #require(try await Self.notices(app, ben.token).items.first?["id"] as? String)
            #expect(try await app.call(.POST, "/api/v1/notifications/read", token: f.agent, json: ["ids": [bens]]).status == .ok)
            #expect(try await Self.notices(app, ben.token).unread == 1)
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            #expect(try await browser.get(app, "/desk/notifications/\(bens)").status == .notFound)
            #expect(try await Self.notices(app, ben.token).unread == 1)

            #expect(try await app.call(.DELETE, "/api/v1/cases/\(reference)/followers/\(f.agentID)", token: f.agent).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/followers", token: f.customer).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/followers", token: f.agent).list.isEmpty)
            let prefs = try await app.call(.GET, "/api/v1/notifications/preferences", token: f.agent).json["items"] as? [[String: Any]] ?? []
            #expect(prefs.first { $0["kind"] as? String == "mentioned" }?["email"] as? Bool == true, "a refused change left the standard choice")
        }
    }

    @Test("the header counts unread notices on every staff page; the notices page lists them, saves preferences, and the case page follows and unfollows",
          arguments: [TestDatabase.sqlite])
    func pages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.admin, json: ["version": 1, "assignee_id": f.agentID])
            var browser = try await BrowserSession.signIn(app, email: "agent@cb.example")
            let queue = try await browser.get(app, "/desk")
            #expect(queue.text.contains("href=\"/desk/notifications\"") && queue.text.contains("class=\"count\">1<"), "the header shows one unread")
            let list = try await browser.get(app, "/desk/notifications")
            #expect(list.text.contains("Assigned to you") && list.text.contains(reference) && list.text.contains("class=\"unread\""))

            let saved = try await browser.post(app, "/desk/notifications/preferences", ["assigned__in_app": "on", "mentioned__in_app": "on", "mentioned__email": "on"])
            #expect(saved.status == .seeOther)
            let prefs = try await app.call(.GET, "/api/v1/notifications/preferences", token: f.agent).json["items"] as? [[String: Any]] ?? []
            #expect(prefs.first { $0["kind"] as? String == "assigned" }?["email"] as? Bool == false)
            #expect(prefs.first { $0["kind"] as? String == "customer_replied" }?["in_app"] as? Bool == false)

            let page = try await browser.get(app, "/desk/cases/\(reference)")
            #expect(page.text.contains("id=\"follow-button\">Follow this case<"))
            #expect(!page.text.contains("class=\"count\">1<"), "opening the case read its notice")
            _ = try await browser.post(app, "/desk/cases/\(reference)/follow", [:])
            #expect(try await browser.get(app, "/desk/cases/\(reference)").text.contains("id=\"follower-names\">agent<"))
            _ = try await browser.post(app, "/desk/cases/\(reference)/unfollow", [:])
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/followers", token: f.agent).list.isEmpty)
        }
    }
}
