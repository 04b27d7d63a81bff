@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Inbound email: strangers held for review, our own mail coming back")
struct InboundHoldAndLoopTests {
    @Test("with hold configured, a stranger's new case waits for an admin; known people and organisations' domains pass", arguments: TestDatabase.all)
    func holdForReview(database: TestDatabase) async throws {
        try await withCasebook(database, configure: { $0.unknownSenders = .hold }) { app in
            let f = try await Fixture.make(app)
            let stranger = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(from: "Sam <sam@unknown.example>", messageID: "<s1@unknown.example>"), token: f.admin)
            #expect(stranger.status == .accepted && stranger.json["status"] as? String == "held")
            #expect(try await rowCount(app, "cases") == 0)
            let known = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(from: "Dana <dana@acme.example>"), token: f.admin)
            #expect(known.json["status"] as? String == "processed", "acme.example belongs to an organisation")
            let held = try await app.call(.GET, "/api/v1/inbound/email?status=held", token: f.admin).list
            #expect(held.count == 1)
            let id = stranger.json["id"] as! String
            let released = try await app.call(.POST, "/api/v1/inbound/email/\(id)/release", token: f.admin)
            #expect(released.status == .ok && released.json["status"] as? String == "processed", "\(released.text)")
            #expect(try await rowCount(app, "cases") == 2)
            #expect(try await app.call(.POST, "/api/v1/inbound/email/\(id)/release", token: f.admin).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/inbound/email/\(id)/release", token: f.agent).status == .forbidden)
        }
    }

    @Test("mail carrying our X-Loop, or that has passed too many servers, is kept but never applied", arguments: TestDatabase.all)
    func loops(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let ours = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(messageID: "<l1@acme.example>",
                                                                                       extra: "X-Loop: support@casebook.localhost\r\n"), token: f.admin)
            #expect(ours.json["status"] as? String == "loop")
            let hops = String(repeating: "Received: from a.example by b.example; Sun, 22 Nov 2026 10:00:00 +0000\r\n", count: 31)
            let circling = try await InboundEmailTests.deliver(app, InboundEmailTests.mail(messageID: "<l2@acme.example>", extra: hops), token: f.admin)
            #expect(circling.json["status"] as? String == "loop")
            let cases = try await rowCount(app, "cases")
            let stored = try await rowCount(app, "inbound_messages")
            #expect(cases == 0 && stored == 2)
            _ = try await f.openCase(app)
            let raw = try await OutboundEmailTests.outbox(app).first?.raw ?? ""
            #expect(raw.contains("X-Loop: support@casebook.localhost"), "everything we send carries our X-Loop")
        }
    }
}
