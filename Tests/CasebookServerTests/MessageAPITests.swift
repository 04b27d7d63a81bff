@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Replies, notes and attachments")
struct MessageAPITests {
    @Test("internal notes never reach the customer: not in messages, timeline or search", arguments: TestDatabase.all)
    func internalNotes(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let note = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: [
                "text": "Customer is on the zebrafirmware beta, do not tell them", "visibility": "internal",
            ])
            #expect(note.status == .created)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "tags": ["secret-tag"]])
            let reply = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "We are on it."])
            #expect(reply.status == .created)

            let staffView = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(staffView.count == 3)
            let customerView = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer)
            #expect(customerView.list.count == 2)
            #expect(!customerView.text.contains("zebrafirmware"))
            let customerTimeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.customer)
            #expect(customerTimeline.list.allSatisfy { $0["visibility"] as? String == "public" })
            #expect(!customerTimeline.text.contains("secret-tag"))
            let customerCase = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.customer)
            #expect(customerCase.json["tags"] == nil && !customerCase.text.contains("secret-tag"))
            let customerSearch = try await app.call(.GET, "/api/v1/cases?q=zebrafirmware", token: f.customer)
            #expect((customerSearch.json["items"] as? [Any])?.isEmpty == true)
            let staffSearch = try await app.call(.GET, "/api/v1/cases?q=zebrafirmware", token: f.agent)
            #expect((staffSearch.json["items"] as? [Any])?.count == 1)
            let sneaky = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "x", "visibility": "internal"])
            #expect(sneaky.status == .forbidden && sneaky.isProblem)
        }
    }

    @Test("the customer's reply reopens a solved case and counts the reopen", arguments: TestDatabase.all)
    func reopen(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let answered = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Fixed, please check.", "status": "solved"])
            #expect(answered.status == .created)
            var state = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(state["status"] as? String == "solved")
            #expect(state["first_response_at"] != nil && state["solved_at"] != nil)
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "Still broken."])
            state = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json
            #expect(state["status"] as? String == "open")
            #expect(state["reopen_count"] as? Int == 1)
            #expect(state["solved_at"] == nil)
        }
    }

    @Test("attachments are stored once by SHA-256 and can be downloaded", arguments: TestDatabase.all)
    func attachments(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let content = Data("log line 1\nlog line 2\n".utf8)
            let upload: [String: Any] = ["text": "Logs attached", "attachments": [
                ["filename": "../../etc/app.log", "content_type": "text/plain", "data": content.base64EncodedString()],
                ["filename": "copy.log", "data": content.base64EncodedString()],
            ]]
            let response = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: upload)
            #expect(response.status == .created)
            let files = response.json["attachments"] as? [[String: Any]] ?? []
            #expect(files.count == 2)
            #expect(files.first?["filename"] as? String == "app.log")
            let digest = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
            #expect(files.first?["sha256"] as? String == digest)
            #expect(try await app.casebook.blobs.contains(digest))
            #expect(files.first?["sha256"] as? String == files.last?["sha256"] as? String)
            let id = files.first?["id"] as? String ?? ""
            let download = try await app.call(.GET, "/api/v1/cases/\(reference)/attachments/\(id)", token: f.customer)
            #expect(download.status == .ok && download.body == content)
            #expect(download.headers.first(name: .contentDisposition)?.contains("app.log") == true)
            let other = try await app.call(.GET, "/api/v1/cases/\(reference)/attachments/\(id)", token: f.outsider)
            #expect(other.status == .notFound)
            let badData = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: [
                "text": "x", "attachments": [["filename": "a", "data": "!!!"]],
            ])
            #expect(badData.status == .unprocessableEntity)
        }
    }

    @Test("a closed case takes no more replies")
    func closed() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "status": "solved"])
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 2, "status": "closed"])
            let reply = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: ["text": "one more thing"])
            #expect(reply.status == .conflict && reply.isProblem)
        }
    }
}
