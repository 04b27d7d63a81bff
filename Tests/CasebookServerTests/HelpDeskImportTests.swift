@testable import CasebookServer
import CasebookCore
import Crypto
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Importing another help desk's tickets")
struct HelpDeskImportTests {
    static func ticket(_ id: String, at start: Date) -> ImportedTicket {
        let carla = ImportedPerson(email: "Carla@Initrode.example", name: "Carla Customer", organisation: "Initrode")
        let ann = ImportedPerson(email: "ann@desk.example", name: "Ann Agent", isStaff: true)
        let blob = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        return ImportedTicket(
            source: "rt", externalID: id, subject: "Scanner \(id) is slow", status: .solved, sourceStatus: "resolved", priority: "high",
            queue: "Scanners", owner: ann, requester: carla, createdAt: start, updatedAt: start.addingTimeInterval(60), solvedAt: start.addingTimeInterval(60),
            customFields: [("Severity", "High"), ("Empty", "")], links: [ImportedLink(relation: "depends on", targetExternalID: "7")],
            entries: [
                ImportedEntry(externalID: "1", at: start, author: carla, kind: .publicMessage, text: "It takes a minute a page.",
                              files: [ImportedFile(filename: "scan.bin", contentType: "application/octet-stream", data: blob)]),
                ImportedEntry(externalID: "2", at: start, author: ann, kind: .internalNote, text: "Driver 4.1 is known to be slow."),
                ImportedEntry(externalID: "3", at: start, author: ann, kind: .publicMessage, text: "Please update the driver."),
                ImportedEntry(externalID: "4", at: start, author: ann, kind: .fieldChange(field: "status", old: "open", new: "resolved")),
            ])
    }

    @Test("a ticket becomes a case with its history in order, comments internal, files byte for byte, people and groups made; twice is once",
          arguments: TestDatabase.all)
    func writes(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let writer = TicketWriter(services: app.casebook)
            let first = try await writer.write(Self.ticket("42", at: start))
            #expect(first.reference != nil && first.entries == 4 && first.attachments == 1)
            #expect(first.unmapped.sorted() == ["custom field 'Severity'", "link 'depends on'"])
            let again = try await writer.write(Self.ticket("42", at: start))
            #expect(again.skipped, "the same ticket again writes nothing")
            #expect(try await rowCount(app, "cases") == 1)

            let reference = try #require(first.reference)
            let kase = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.admin)
            #expect(kase.json["status"] as? String == "solved" && kase.json["priority"] as? String == "high")
            #expect(kase.json["created_at"] as? String == "2023-11-14T22:13:20.000Z", "the ticket's own date")
            #expect((kase.json["tags"] as? [String])?.contains("rt-42") == true)
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.admin).list
            #expect(messages.map { $0["visibility"] as? String } == ["public", "internal", "public", "internal"])
            #expect(messages.first?["text"] as? String == "It takes a minute a page.")
            #expect((messages.last?["text"] as? String)?.contains("Severity: High") == true && (messages.last?["text"] as? String)?.contains("Empty") == false)
            let customerView = try await app.call(.GET, "/api/v1/users?role=customer", token: f.admin).list
            let carla = try #require(customerView.first { $0["email"] as? String == "carla@initrode.example" })
            #expect(carla["organisation_id"] != nil)
            let staff = try await app.call(.GET, "/api/v1/users?role=agent", token: f.admin).list
            #expect(staff.contains { $0["email"] as? String == "ann@desk.example" } && kase.json["assignee_id"] != nil)
            let groups = try await app.call(.GET, "/api/v1/groups", token: f.admin).list
            #expect(groups.contains { $0["name"] as? String == "Scanners" && $0["id"] as? String == kase.json["group_id"] as? String })

            let attachment = try #require((messages.first?["attachments"] as? [[String: Any]])?.first?["id"] as? String)
            let download = try await app.call(.GET, "/api/v1/cases/\(reference)/attachments/\(attachment)", token: f.admin)
            #expect(Data(SHA256.hash(data: download.body)) == Data(SHA256.hash(data: Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }))))
            let timeline = try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.admin).list
            #expect(timeline.map { $0["kind"] as? String } == ["created", "message", "message", "message", "field_changed", "message"])
            let portal = try await app.call(.GET, "/api/v1/cases?q=Scanner", token: f.admin)
            #expect(portal.status == .ok)
        }
    }

    @Test("an import is started only against a Request Tracker that answers; refusals name the field; the page lists imports")
    func refusals() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.POST, "/api/v1/imports", token: f.agent, json: ["source": "rt", "url": "http://127.0.0.1:9", "token": "x"]).status == .forbidden)
            for (body, field) in [(["source": "zammad", "url": "http://127.0.0.1:9", "token": "x"], "source"),
                                  (["source": "rt", "url": "ftp://rt.example", "token": "x"], "url"),
                                  (["source": "rt", "url": "http://127.0.0.1:9"], "token"),
                                  (["source": "rt", "url": "http://127.0.0.1:9", "token": "x"], "url"),
                                  (["source": "rt", "url": "http://" + String(repeating: "a", count: 2000) + ".example", "token": "x"], "url"),
                                  (["source": "rt", "url": "http://127.0.0.1:9", "user": "root", "password": ""], "token")] {
                let answer = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: body)
                #expect(answer.status == .unprocessableEntity && answer.text.contains(field), "\(body): \(answer.text)")
            }
            #expect(try await rowCount(app, "import_runs") == 0)
            #expect(try await app.call(.GET, "/api/v1/imports/\(UUID().uuidString)", token: f.admin).status == .notFound)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let page = try await admin.get(app, "/admin/imports")
            #expect(page.status == .ok && page.text.contains("Import from Request Tracker"))
            let refused = try await admin.post(app, "/admin/imports", ["source": "rt", "url": "http://127.0.0.1:9", "user": "root", "password": "secret-pass-4711"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("could not read Request Tracker") && refused.text.contains("127.0.0.1:9"))
            #expect(refused.text.contains("type=\"password\"") && !refused.text.contains("secret-pass-4711"), "a password is typed unseen and never shown back")
        }
    }
}
