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
            let badLanguage = try await app.call(.POST, "/api/v1/canned-responses", token: fixture.admin, json: ["title": "Hi", "body": "x", "language": "fr"])
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
}
