@testable import CasebookServer
import Foundation
import Fluent
import SQLKit
import Testing
import Vapor

/// The queue sidebar's counts are reused for a few seconds and forgotten by any change made through this instance.
@Suite("Queue count cache")
struct QueueCountCacheTests {
    static func allOpen(_ html: String) -> String? {
        guard let range = html.range(of: #"data-queue="all">[^<]*<span class="count">(\d+)</span>"#, options: .regularExpression) else { return nil }
        return String(html[range]).components(separatedBy: "\"count\">").last?.components(separatedBy: "<").first
    }

    @Test("counts are reused within their lifetime, counted again after it, and forgotten at once by a change through the desk or the API",
          arguments: TestDatabase.all)
    func reuseAndForget(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app)
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            #expect(Self.allOpen(try await agent.get(app, "/desk?view=all").text) == "1")

            // A case written behind the cache's back (as another instance would) shows once the lifetime has passed.
            let services = app.casebook
            let actor = try await CurrentActor.load(try await UserModel.query(on: app.db).filter(\.$email == "carla@acme.example").first()!, on: app.db)
            _ = try await services.store.write { db in
                try await OpenCase(services: services).run(CaseCreateRequest(subject: "Behind the cache", description: "Filed elsewhere."), by: actor, on: db)
            }
            #expect(Self.allOpen(try await agent.get(app, "/desk?view=all").text) == "1", "reused within its lifetime")
            clock.advance(Double(app.casebook.configuration.queueCountSeconds) + 1)
            #expect(Self.allOpen(try await agent.get(app, "/desk?view=all").text) == "2", "counted again after it")

            // Through the API: forgotten at once.
            _ = try await f.openCase(app, subject: "Through the API")
            #expect(Self.allOpen(try await agent.get(app, "/desk?view=all").text) == "3")
            // Through the desk's own pages: forgotten at once.
            let made = try await agent.post(app, "/desk/new", ["intent": "create", "requester_id": f.customerID.lowercased(), "subject": "Through the desk",
                                                             "description": "Called in.", "channel": "phone"])
            #expect(made.status == .seeOther, "\(made.text.prefix(200))")
            #expect(Self.allOpen(try await agent.get(app, "/desk?view=all").text) == "4")
        }
    }
}
