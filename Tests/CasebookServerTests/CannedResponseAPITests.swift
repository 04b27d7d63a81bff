@testable import CasebookServer
import Foundation
import Testing
import VaporTesting

@Suite("Canned responses")
struct CannedResponseAPITests {
    @Test("admins keep canned responses; placeholders are checked on save and filled for a case", arguments: TestDatabase.all)
    func cannedResponses(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app)
            let unknown = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin,
                                             json: ["title": "Hi", "body": "Hello {{customer.shoe_size}}"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("customer.shoe_size"))
            let badLanguage = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin, json: ["title": "Hi", "body": "x", "language": "it"])
            #expect(badLanguage.status == .unprocessableEntity)
            let byAgent = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.agent, json: ["title": "Hi", "body": "x"])
            #expect(byAgent.status == .forbidden)
            let created = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin,
                                             json: ["title": "Photo please", "body": "Hello {{customer.first_name}}, about {{case.reference}} at {{organisation.name}}: please send a photo. — {{agent.name}}"])
            #expect(created.status == .created)
            let id = created.json["id"] as! String
            let twice = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin, json: ["title": "Photo please", "body": "again"])
            #expect(twice.status == .conflict)
            let listed = try await app.call(.GET, "/api/v1/canned-responses", token: fixture.agent)
            #expect(listed.list.count == 1)
            let hidden = try await app.call(.GET, "/api/v1/canned-responses", token: fixture.customer)
            #expect(hidden.status == .forbidden)
            let rendered = try await app.call(.POST, "/api/v1/cases/\(reference)/canned-responses/\(id)/render", token: fixture.agent)
            #expect(rendered.json["text"] as? String == "Hello carla, about \(reference) at Acme: please send a photo. — agent")
            let changed = try await app.call(.PATCH, "/api/v1/canned-responses/\(id)", token: fixture.admin, json: ["title": "Photo please", "body": "Hi {{customer.name}}", "language": "es"])
            #expect(changed.json["language"] as? String == "es")
            let gone = try await app.call(.DELETE, "/api/v1/canned-responses/\(id)", token: fixture.admin)
            #expect(gone.status == .noContent)
            let missing = try await app.call(.POST, "/api/v1/cases/\(reference)/canned-responses/\(id)/render", token: fixture.agent)
            #expect(missing.status == .notFound)
        }
    }

    @Test("bad values: empty or oversized text, unknown ids, another person's request to render", arguments: [TestDatabase.sqlite])
    func badValues(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let reference = try await fixture.openCase(app)
            for body in [["title": "", "body": "x"], ["title": "T", "body": "   "], ["title": "T", "body": String(repeating: "y", count: 20_001)]] {
                let refused = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin, json: body)
                #expect(refused.status == .unprocessableEntity && refused.isProblem)
            }
            let missing = try await app.call(.PATCH, "/api/v1/canned-responses/\(UUID())", token: fixture.admin, json: ["title": "T", "body": "x"])
            #expect(missing.status == .notFound)
            let created = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin, json: ["title": "T", "body": "Hi {{customer.name}}"])
            let id = created.json["id"] as! String
            let byCustomer = try await app.call(.POST, "/api/v1/cases/\(reference)/canned-responses/\(id)/render", token: fixture.customer)
            #expect(byCustomer.status == .forbidden)
            let badID = try await app.call(.POST, "/api/v1/cases/\(reference)/canned-responses/nope/render", token: fixture.agent)
            #expect(badID.status == .notFound)
            #expect(try await rowCount(app, "canned_responses") == 1)
        }
    }
}
