@testable import CasebookServer
import AsyncHTTPClient
import CasebookCore
import Foundation
import NIOPosix
import SQLKit
import Testing
import Vapor

@Suite("Outgoing webhooks and chat notifications", .serialized)
struct WebhookTests {
    static let caseEvents = ["case.created", "case.updated", "case.replied", "case.solved", "case.reopened"]

    /// Runs every due job, moving the clock past retry waits `rounds` times.
    static func drain(_ app: Application, clock: TestClock, rounds: Int = 1) async {
        for _ in 0..<rounds {
            await app.jobs.runDue()
            clock.advance(4000)
        }
    }

    static func subscribe(_ app: Application, _ token: String, _ body: [String: Any]) async throws -> [String: Any] {
        let created = try await app.call(.POST, "/api/v1/webhooks", token: token, json: body)
        guard created.status == .created else { throw FixtureError(message: created.text) }
        return created.json
    }

    @Test("signed JSON events for a case's life reach a loopback receiver once each; internal notes send nothing",
          arguments: TestDatabase.all)
    func caseLife(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        let clock = TestClock()
        try await withCasebook(database, clock: clock, configure: { $0.webhookTimeoutSeconds = 1 }) { app in
            let f = try await Fixture.make(app)
            let hook = try await Self.subscribe(app, f.admin, ["name": "Warehouse", "url": receiver.url("/ok/json"), "events": Self.caseEvents,
                                                               "allow_private": true])
            let secret = try #require(hook["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && hook["secret_hint"] as? String == String(secret.prefix(4)) + "…")
            let listed = try await app.call(.GET, "/api/v1/webhooks", token: f.admin).list
            #expect(listed.count == 1 && listed.first?["secret"] == nil, "the secret is shown once, not in lists")

            let reference = try await f.openCase(app)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Internal: check the tray", "visibility": "internal"])
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "We are on it."])
            let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as? Int ?? 0
            let solved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["status": "solved"], headers: [("If-Match", "\"\(version)\"")])
            #expect(solved.status == .ok, "\(solved.text)")
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "It jams again."])
            let sentAt = clock.now
            await Self.drain(app, clock: clock)

            // Deliveries run side by side, so arrival order is not promised: receivers order by occurred_at and the case's version.
            let got = receiver.at("/ok/json").sorted { ($0.json["occurred_at"] as? String ?? "", $0.version) < ($1.json["occurred_at"] as? String ?? "", $1.version) }
            #expect(got.map { $0.event ?? "" }.sorted() == ["case.created", "case.updated", "case.replied", "case.updated", "case.solved", "case.replied",
                                                             "case.updated", "case.reopened"].sorted(), "\(got.map(\.event))")
            for item in got {
                let signature = try #require(item.headers.first(name: "Casebook-Signature"))
                #expect(WebhookSignature.verify(header: signature, body: item.body, secret: secret, now: sentAt))
                #expect(!WebhookSignature.verify(header: signature, body: item.body + Data(" ".utf8), secret: secret, now: sentAt), "a changed body fails")
                #expect(!WebhookSignature.verify(header: signature, body: item.body, secret: "whsec_other", now: sentAt), "another secret fails")
                #expect(!WebhookSignature.verify(header: signature, body: item.body, secret: secret, now: sentAt.addingTimeInterval(3600)), "a replay fails")
                #expect(item.json["event"] as? String == item.event)
                let data = try #require(item.json["data"] as? [String: Any])
                let kase = try #require(data["case"] as? [String: Any])
                #expect(kase["reference"] as? String == reference && (kase["url"] as? String)?.hasSuffix("/desk/cases/\(reference)") == true)
            }
            let replies = got.filter { $0.event == "case.replied" }.compactMap { ($0.json["data"] as? [String: Any])?["message"] as? [String: Any] }
            #expect(replies.compactMap { $0["from"] as? String }.sorted() == ["customer", "staff"])
            #expect(!replies.contains { ($0["text"] as? String)?.contains("Internal") == true }, "an internal note never leaves")
            let solvedChanges = (got.first { $0.event == "case.solved" }?.json["data"] as? [String: Any])?["changes"] as? [[String: Any]]
            #expect(solvedChanges?.contains { $0["field"] as? String == "status" && $0["new"] as? String == "solved" } == true)

            // Nothing twice: the jobs are done, and a second run sends nothing.
            await Self.drain(app, clock: clock)
            #expect(receiver.at("/ok/json").count == got.count)
            let id = try #require(hook["id"] as? String)
            let log = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(id)", token: f.admin)
            #expect(log.list.count == got.count && log.list.allSatisfy { $0["status"] as? String == "delivered" && $0["response_code"] as? Int == 200 })
            let shown = try await app.call(.GET, "/api/v1/webhooks/\(id)", token: f.admin)
            #expect((shown.json["deliveries"] as? [String: Any])?["delivered"] as? Int == got.count)

            // Redelivery sends the same body again under the same delivery id.
            let first = try #require(log.list.last?["id"] as? String)
            let again = try await app.call(.POST, "/api/v1/webhook-deliveries/\(first)/redeliver", token: f.admin)
            #expect(again.status == .accepted)
            await Self.drain(app, clock: clock)
            let copies = receiver.at("/ok/json").filter { $0.headers.first(name: "Casebook-Delivery") == first }
            #expect(copies.count == 2 && copies[0].body == copies[1].body)
            let detail = try await app.call(.GET, "/api/v1/webhook-deliveries/\(first)", token: f.admin)
            #expect((detail.json["history"] as? [[String: Any]])?.count == 2 && (detail.json["body"] as? String)?.contains("case.created") == true)
        }
        try await receiver.stop()
    }

    @Test("a receiver that is down, slow, answers 500 or redirects is retried with back-off, logged, and pauses the subscription; resume sends what was held",
          arguments: TestDatabase.all)
    func failures(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start(stall: 3)
        let down = try WebhookReceiver.closedPort()
        let clock = TestClock()
        try await withCasebook(database, clock: clock, configure: { $0.webhookTimeoutSeconds = 1 }) { app in
            let f = try await Fixture.make(app)
            var ids: [String: String] = [:]
            for (name, url) in [("down", "http://127.0.0.1:\(down)/hook"), ("slow", receiver.url("/slow")), ("broken", receiver.url("/fail")),
                                ("moved", receiver.url("/redirect"))] {
                ids[name] = try await Self.subscribe(app, f.admin, ["name": name, "url": url, "events": ["case.created"], "allow_private": true,
                                                                    "pause_after": 3])["id"] as? String
            }
            _ = try await f.openCase(app)
            await app.jobs.runDue()
            for (name, expected) in [("down", "could not connect"), ("slow", "no answer within 1 second"), ("broken", "answered 500"), ("moved", "redirect")] {
                let log = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(ids[name]!)", token: f.admin).list
                #expect(log.count == 1 && log.first?["status"] as? String == "pending" && log.first?["attempts"] as? Int == 1, "\(name): \(log)")
                #expect((log.first?["last_error"] as? String)?.contains(expected) == true, "\(name): \(String(describing: log.first?["last_error"]))")
            }
            let broken = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(ids["broken"]!)", token: f.admin).list
            let detail = try await app.call(.GET, "/api/v1/webhook-deliveries/\(broken[0]["id"] as! String)", token: f.admin)
            let attempt = try #require((detail.json["history"] as? [[String: Any]])?.first)
            #expect(attempt["response_code"] as? Int == 500 && (attempt["response_excerpt"] as? String)?.contains("boom") == true)
            #expect(receiver.at("/ok/redirected").isEmpty, "a redirect is never followed")

            // Not retried before its time; then two more failures in a row pause it and hold what is pending.
            await app.jobs.runDue()
            #expect(receiver.at("/fail").count == 1, "the retry waits for its back-off")
            _ = try await f.openCase(app, subject: "Second")
            await Self.drain(app, clock: clock, rounds: 4)
            let paused = try await app.call(.GET, "/api/v1/webhooks/\(ids["broken"]!)", token: f.admin)
            #expect(paused.json["paused"] as? Bool == true && (paused.json["pause_reason"] as? String)?.contains("failed attempts in a row") == true)
            // Attempts already in flight when the third failure landed may still count; none start after it.
            let attemptsAtPause = receiver.at("/fail").count
            #expect((3...4).contains(attemptsAtPause))
            _ = try await f.openCase(app, subject: "Third")
            await Self.drain(app, clock: clock, rounds: 2)
            #expect(receiver.at("/fail").count == attemptsAtPause, "no attempt after the pause")
            let counts = paused.json["deliveries"] as? [String: Int]
            #expect(counts?["held"] ?? 0 >= 1)
            let held = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(ids["broken"]!)&status=held", token: f.admin).list
            #expect(held.count == 3, "every event, including one made while paused, is held: \(held.count)")

            // The receiver is mended (pointed at a working path): resume sends everything held.
            let mended = try await app.call(.PATCH, "/api/v1/webhooks/\(ids["broken"]!)", token: f.admin, json: ["url": receiver.url("/ok/mended")])
            #expect(mended.status == .ok)
            let resumed = try await app.call(.POST, "/api/v1/webhooks/\(ids["broken"]!)/resume", token: f.admin)
            #expect(resumed.json["paused"] as? Bool == false && resumed.json["consecutive_failures"] as? Int == 0)
            await Self.drain(app, clock: clock)
            let subjects = receiver.at("/ok/mended").compactMap { (($0.json["data"] as? [String: Any])?["case"] as? [String: Any])?["subject"] as? String }
            #expect(subjects.sorted() == ["Printer jams on tray 2", "Second", "Third"], "\(subjects)")

            // A delivery that used up its attempts is marked failed and can be redelivered.
            await Self.drain(app, clock: clock, rounds: 10)
            let slow = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(ids["slow"]!)", token: f.admin).list
            #expect(slow.allSatisfy { ["failed", "held"].contains($0["status"] as? String) }, "\(slow.map { $0["status"] })")
        }
        try await receiver.stop()
    }

    @Test("Slack, Mattermost and Teams get their own message shapes with a link back, per group and in the channel's language",
          arguments: TestDatabase.all)
    func chat(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "On call", "tier": 1, "member_ids": [f.agentID]])
            let groupID = try #require(group.json["id"] as? String)
            for format in ["slack", "mattermost", "teams"] {
                _ = try await Self.subscribe(app, f.admin, ["name": format, "url": receiver.url("/ok/\(format)"), "format": format,
                                                            "events": ["case.created", "case.updated"], "allow_private": true])
            }
            _ = try await Self.subscribe(app, f.admin, ["name": "on call only", "url": receiver.url("/ok/oncall"), "format": "slack", "language": "es",
                                                        "events": ["case.updated"], "group_id": groupID, "allow_private": true])
            let reference = try await f.openCase(app, subject: "VPN <down> & out")
            await Self.drain(app, clock: clock)
            #expect(receiver.at("/ok/oncall").isEmpty, "a case outside the group is not sent to the group's channel")

            let slack = try #require(receiver.at("/ok/slack").first?.json)
            #expect((slack["text"] as? String)?.contains("VPN &lt;down&gt; &amp; out") == true, "\(slack)")
            let blocks = try #require(slack["blocks"] as? [[String: Any]])
            let button = ((blocks.last?["elements"] as? [[String: Any]])?.first)
            #expect((button?["url"] as? String)?.hasSuffix("/desk/cases/\(reference)") == true)
            #expect(receiver.at("/ok/slack").first?.headers.first(name: "Casebook-Signature") == nil, "chat formats are not signed")

            let mattermost = try #require(receiver.at("/ok/mattermost").first?.json)
            let attachment = try #require((mattermost["attachments"] as? [[String: Any]])?.first)
            #expect((attachment["title_link"] as? String)?.hasSuffix(reference) == true && (attachment["fields"] as? [Any])?.isEmpty == false)

            let teams = try #require(receiver.at("/ok/teams").first?.json)
            #expect(teams["type"] as? String == "message")
            let card = try #require((teams["attachments"] as? [[String: Any]])?.first)
            #expect(card["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            let content = try #require(card["content"] as? [String: Any])
            #expect(content["type"] as? String == "AdaptiveCard" && (content["actions"] as? [[String: Any]])?.first?["url"] as? String != nil)

            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["group_id": groupID], headers: [("If-Match", "\"1\"")])
            await Self.drain(app, clock: clock)
            let spanish = try #require(receiver.at("/ok/oncall").first?.json["text"] as? String)
            #expect(spanish.contains(reference) && spanish.contains("cambió"), "\(spanish)")

            // "Send a test event" checks a channel before any case needs it, in the channel's language.
            let hooks = try await app.call(.GET, "/api/v1/webhooks", token: f.admin).list
            let onCall = try #require(hooks.first { $0["name"] as? String == "on call only" }?["id"] as? String)
            let test = try await app.call(.POST, "/api/v1/webhooks/\(onCall)/test", token: f.admin)
            #expect(test.status == .accepted && test.json["event"] as? String == "webhook.test")
            await Self.drain(app, clock: clock)
            #expect((receiver.at("/ok/oncall").last?.json["text"] as? String)?.contains("Mensaje de prueba de Casebook") == true)
            #expect(try await app.call(.POST, "/api/v1/webhooks/\(onCall)/test", token: f.agent).status == .forbidden)
        }
        try await receiver.stop()
    }

    @Test("only admins manage webhooks; bad targets, events and fields are refused with the field named; private targets need an admin's leave")
    func refusals() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let good: [String: Any] = ["name": "x", "url": "https://hooks.example.com/in", "events": ["case.created"]]
            #expect(try await app.call(.POST, "/api/v1/webhooks", token: f.agent, json: good).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/webhooks", token: f.customer).status == .forbidden)
            let cases: [([String: Any], String)] = [
                (["url": "http://127.0.0.1:9/x"], "url"), (["url": "http://localhost./x"], "url"), (["url": "http://169.254.169.254/latest"], "url"),
                (["url": "http://[::1]/x"], "url"), (["url": "http://[::ffff:10.0.0.1]/x"], "url"), (["url": "http://10.1.2.3/x"], "url"),
                (["url": "ftp://example.com/x"], "url"), (["url": "https://user:pw@example.com/x"], "url"), (["url": "not a url"], "url"),
                (["events": []], "events"), (["events": ["case.exploded"]], "events"), (["events": ["webhook.test"]], "events"), (["format": "irc"], "format"),
                (["language": "tlh"], "language"), (["pause_after": 0], "pause_after"), (["name": "  "], "name"),
                (["group_id": UUID().uuidString], "group_id"), (["colour": "red"], "colour"),
                (["name": String(repeating: "n", count: 121)], "name"), (["pause_after": 1001], "pause_after"),
                (["url": "https://example.com/" + String(repeating: "a", count: 2000)], "url"), (["language": ""], "language"),
            ]
            for (change, field) in cases {
                let answer = try await app.call(.POST, "/api/v1/webhooks", token: f.admin, json: good.merging(change) { $1 })
                #expect(answer.status == .unprocessableEntity && answer.isProblem, "\(change): \(answer.status)")
                #expect(answer.text.contains(field), "\(change): \(answer.text)")
            }
            #expect(try await rowCount(app, "webhook_subscriptions") == 0)
            let allowed = try await app.call(.POST, "/api/v1/webhooks", token: f.admin, json: good.merging(["url": "http://127.0.0.1:9/x", "allow_private": true]) { $1 })
            #expect(allowed.status == .created)
            let id = try #require(allowed.json["id"] as? String)
            let revoked = try await app.call(.PATCH, "/api/v1/webhooks/\(id)", token: f.admin, json: ["allow_private": false])
            #expect(revoked.status == .unprocessableEntity, "taking the leave away re-checks the stored URL")
            #expect(try await app.call(.POST, "/api/v1/webhooks", token: f.admin, json: good.merging(["url": "http://127.0.0.1:9/y", "allow_private": true]) { $1 }).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/webhooks/\(UUID().uuidString)", token: f.admin).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/webhook-deliveries?limit=0", token: f.admin).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/webhook-deliveries?status=lost", token: f.admin).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/webhook-deliveries/\(UUID().uuidString)/redeliver", token: f.admin).status == .notFound)
            #expect(try await app.call(.PATCH, "/api/v1/webhooks/\(id)", token: f.admin, json: ["active": false]).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/webhooks/\(id)/test", token: f.admin).status == .conflict, "a switched-off webhook sends no test")
            let rotated = try await app.call(.POST, "/api/v1/webhooks/\(id)/rotate-secret", token: f.admin)
            #expect(rotated.json["secret"] as? String != allowed.json["secret"] as? String)
            #expect(try await app.call(.DELETE, "/api/v1/webhooks/\(id)", token: f.admin).status == .noContent)
            #expect(try await rowCount(app, "webhook_subscriptions") == 0)
        }
    }

    @Test("an https target is reached at the address that was checked, whatever its name resolves to afterwards")
    func pinnedByName() async throws {
        let receiver = try await WebhookReceiver.start()
        // A name that resolves nowhere: only the pin can lead the connection to the receiver.
        let pinned = WebhookSender.pinnedConfiguration(HTTPClient.Configuration(redirectConfiguration: .disallow),
                                                       host: "hooks.casebook.invalid", address: "127.0.0.1")
        let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: pinned)
        var request = HTTPClientRequest(url: "http://hooks.casebook.invalid:\(receiver.port)/ok/pinned")
        request.method = .POST
        let response = try await client.execute(request, timeout: .seconds(5))
        #expect(response.status == .ok)
        #expect(receiver.at("/ok/pinned").first?.headers.first(name: "Host") == "hooks.casebook.invalid:\(receiver.port)",
                "the name, not the address, is what the receiver (and a certificate check) sees")
        try await client.shutdown()
        try await receiver.stop()
    }

    @Test("a host name that resolves to a private address is refused when the delivery is made, not only when it is saved")
    func resolvedPrivate() async throws {
        let receiver = try await WebhookReceiver.start()
        let clock = TestClock()
        try await withCasebook(.sqlite, clock: clock) { app in
            let f = try await Fixture.make(app)
            let hook = try await Self.subscribe(app, f.admin, ["name": "n", "url": "https://hooks.example.com/in", "events": ["case.created"]])
            // As if DNS now answered with loopback for the stored name.
            let sql = app.db as! any SQLDatabase
            try await sql.update("webhook_subscriptions").set("url", to: "http://localhost:\(receiver.port)/ok/sneaky").run()
            app.casebook.webhooks.invalidate()
            _ = try await f.openCase(app)
            await app.jobs.runDue()
            #expect(receiver.all.isEmpty)
            let log = try await app.call(.GET, "/api/v1/webhook-deliveries?webhook_id=\(hook["id"] as! String)", token: f.admin).list
            #expect((log.first?["last_error"] as? String)?.contains("private or local") == true || (log.first?["last_error"] as? String)?.contains("loopback") == true,
                    "\(String(describing: log.first?["last_error"]))")
            #expect(try HostResolver.firstNonPublic(HostResolver.addresses(of: "localhost", port: 80))?.scope == .loopback)
        }
        try await receiver.stop()
    }

    @Test("service-level warnings and breaches, alerts opening and resolving, and survey answers are events too", arguments: TestDatabase.all)
    func otherEvents(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        let clock = TestClock(ServiceLevelAPITests.mondayNine)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await Self.subscribe(app, f.admin, ["name": "ops", "url": receiver.url("/ok/ops"), "allow_private": true,
                                                        "events": ["sla.warning", "sla.breach", "alert.opened", "alert.resolved", "survey.answered"]])
            _ = try await ServiceLevelAPITests.setUp(app, f)
            let reference = try await ServiceLevelAPITests.openHighCase(app, f)
            clock.advance(50 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            clock.advance(20 * 60)
            _ = try await ServiceLevelSweep.checkDue(services: app.casebook)
            _ = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: AlertAPITests.alertmanager([("firing", "db9:9100")]))
            clock.advance(60)
            _ = try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: AlertAPITests.alertmanager([("resolved", "db9:9100")]))
            try await SatisfactionTests.solve(app, f, reference)
            #expect(try await SatisfactionSurveys(services: app.casebook).sendDue() >= 1)
            let rated = try await app.call(.POST, "/api/v1/cases/\(reference)/satisfaction", token: f.customer, json: ["score": 4, "comment": "Quick"])
            #expect(rated.status == .created, "\(rated.text)")
            await app.jobs.runDue()

            let got = receiver.at("/ok/ops")
            let events = got.compactMap(\.event)
            #expect(events.filter { $0 == "sla.warning" }.count >= 1 && events.filter { $0 == "sla.breach" }.count >= 1, "\(events)")
            #expect(events.filter { $0 == "alert.opened" }.count == 1 && events.filter { $0 == "alert.resolved" }.count == 1, "\(events)")
            #expect(events.filter { $0 == "survey.answered" }.count == 1)
            let breach = try #require(got.first { $0.event == "sla.breach" }?.json["data"] as? [String: Any])
            #expect((breach["service_level"] as? [String: Any])?["metric"] as? String == "first_response")
            let alert = try #require(got.first { $0.event == "alert.opened" }?.json["data"] as? [String: Any])
            #expect(alert["fingerprint"] as? String == "fp-DiskFull-db9:9100" && (alert["case_reference"] as? String)?.isEmpty == false)
            let survey = try #require(got.first { $0.event == "survey.answered" }?.json["data"] as? [String: Any])
            #expect((survey["survey"] as? [String: Any])?["rating"] as? Int == 4 && (survey["case"] as? [String: Any])?["reference"] as? String == reference)
        }
        try await receiver.stop()
    }

    @Test("admins add a chat channel on the page (the secret is shown once), read the delivery log and send a delivery again", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let list = try await admin.get(app, "/admin/webhooks")
            #expect(list.status == .ok && list.text.contains("Webhooks and chat"))
            let refused = try await admin.post(app, "/admin/webhooks", ["name": "Ops room", "url": "http://127.0.0.1:\(receiver.port)/ok/page",
                                                                        "format": "slack", "events": "case.created", "language": "en"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("private") && refused.text.contains("Ops room"),
                    "a private target is refused on the form, with what was typed kept")
            let added = try await admin.post(app, "/admin/webhooks", ["name": "Ops room", "url": "http://127.0.0.1:\(receiver.port)/ok/page",
                                                                      "format": "json", "events": "case.created\ncase.solved", "language": "en",
                                                                      "allow_private": "on", "active": "on", "pause_after": "5"])
            #expect(added.status == .seeOther)
            let location = try #require(added.headers.first(name: .location))
            let entry = try await admin.get(app, location)
            #expect(entry.text.contains("The signing secret, shown only now: whsec_") && entry.text.contains("Delivery log"))
            let hooks = try await app.call(.GET, "/api/v1/webhooks", token: f.admin).list
            #expect(hooks.first?["events"] as? [String] == ["case.created", "case.solved"] && hooks.first?["pause_after"] as? Int == 5)
            let id = try #require(hooks.first?["id"] as? String)

            let reference = try await f.openCase(app)
            await app.jobs.runDue()
            #expect(receiver.at("/ok/page").count == 1)
            let log = try await admin.get(app, "/admin/webhook-deliveries?webhook_id=\(id)")
            #expect(log.status == .ok && log.text.contains("Ops room") && log.text.contains(reference) && log.text.contains("delivered"))
            let delivery = try #require(try await app.call(.GET, "/api/v1/webhook-deliveries", token: f.admin).list.first?["id"] as? String)
            let page = try await admin.get(app, "/admin/webhook-deliveries/\(delivery)")
            #expect(page.text.contains("Send again") && page.text.contains("case.created"))
            let again = try await admin.post(app, "/admin/webhook-deliveries/\(delivery)/redeliver", [:])
            #expect(again.status == .seeOther)
            await app.jobs.runDue()
            #expect(receiver.at("/ok/page").count == 2)

            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example", password: "a-good-password")
            #expect(try await agent.get(app, "/admin/webhooks").status == .forbidden)
        }
        try await receiver.stop()
    }
}
