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
            #expect(first.unmapped == ["link 'depends on' to a ticket not imported before it"], "Severity has a field of its own now")
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
            #expect((messages.last?["text"] as? String)?.contains("depends on Request Tracker #7") == true)
            #expect((messages.last?["text"] as? String)?.contains("Severity") == false && (messages.last?["text"] as? String)?.contains("Empty") == false)
            #expect(kase.json["custom_fields"] as? [String: String] == ["severity": "High"], "an empty value makes no field")
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

    @Test("custom fields land in fields of their name, made when missing, unless the value does not fit; links join the cases from either side",
          arguments: TestDatabase.all)
    func fieldsAndLinks(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.POST, "/api/v1/custom-fields", token: f.admin,
                                       json: ["key": "units", "label": "Units", "kind": "number"]).status == .created)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let writer = TicketWriter(services: app.casebook)
            var parent = Self.ticket("7", at: start)
            (parent.customFields, parent.links) = ([("Units", "12"), ("Sévérité", "Haute")], [])
            // A reply written in RT's web editor: HTML only.
            parent.entries.append(ImportedEntry(externalID: "5", at: start, author: nil, kind: .publicMessage,
                                                html: "<p>Try the <b>new</b> driver.</p><script>steal()</script>"))
            var child = Self.ticket("8", at: start)
            (child.customFields, child.links) = ([("Units", "many")], [ImportedLink(relation: "parent", targetExternalID: "7")])
            var related = Self.ticket("9", at: start)
            related.links = [ImportedLink(relation: "refers to", targetExternalID: "10")]
            var later = Self.ticket("10", at: start)
            (later.customFields, later.links) = ([], [ImportedLink(relation: "referred to by", targetExternalID: "9")])

            let parentCase = try #require(try await writer.write(parent).reference)
            let childOutcome = try await writer.write(child)
            #expect(childOutcome.unmapped == ["custom field 'Units'"], "'many' is no number")
            let childCase = try #require(childOutcome.reference)
            let relatedCase = try #require(try await writer.write(related).reference)
            let laterCase = try #require(try await writer.write(later).reference)

            let fields = try await app.call(.GET, "/api/v1/custom-fields", token: f.admin).list
            #expect(fields.contains { $0["key"] as? String == "severite" && $0["label"] as? String == "Sévérité" && $0["kind"] as? String == "text" })
            #expect(fields.filter { $0["key"] as? String == "units" }.count == 1, "the admin's field is used, not made again")
            let parentView = try await app.call(.GET, "/api/v1/cases/\(parentCase)", token: f.admin).json["custom_fields"] as? [String: Any]
            #expect(parentView?["units"] as? Double == 12 && parentView?["severite"] as? String == "Haute")
            let webReply = try await app.call(.GET, "/api/v1/cases/\(parentCase)/messages", token: f.admin).list.first { ($0["html"] as? String) != nil }
            #expect((webReply?["text"] as? String)?.contains("Try the new driver.") == true, "the text is read out of the HTML")
            #expect((webReply?["html"] as? String)?.contains("<b>new</b>") == true && (webReply?["html"] as? String)?.contains("script") == false)
            let childView = try await app.call(.GET, "/api/v1/cases/\(childCase)", token: f.admin).json["custom_fields"] as? [String: Any]
            #expect(childView?["units"] == nil)
            let childNote = try await app.call(.GET, "/api/v1/cases/\(childCase)/messages", token: f.admin).list.last?["text"] as? String
            #expect(childNote?.contains("Units: many") == true)

            func links(_ reference: String) async throws -> [String] {
                try await app.call(.GET, "/api/v1/cases/\(reference)/links", token: f.admin).list.compactMap {
                    guard let relation = $0["relation"] as? String, let other = $0["reference"] as? String else { return nil }
                    return "\(relation) \(other)"
                }
            }
            #expect(try await links(childCase) == ["part of \(parentCase)"])
            #expect(try await links(parentCase) == ["parent of \(childCase)"])
            // Ticket 9 named 10 before 10 was imported; 10 names 9 back, and that makes the one link.
            #expect(try await links(relatedCase) == ["related to \(laterCase)"])
            #expect(try await links(laterCase) == ["related to \(relatedCase)"])
            // Each link is on both records, whichever side was imported first.
            func linkEntries(_ reference: String) async throws -> [String] {
                try await app.call(.GET, "/api/v1/cases/\(reference)/timeline", token: f.admin).list
                    .filter { $0["kind"] as? String == "case_linked" }.compactMap { $0["new_value"] as? String }
            }
            #expect(try await linkEntries(childCase) == ["part of \(parentCase)"])
            #expect(try await linkEntries(parentCase) == ["parent of \(childCase)"])
            #expect(try await linkEntries(relatedCase) == ["related to \(laterCase)"])
            #expect(try await linkEntries(laterCase) == ["related to \(relatedCase)"])
            let childTimeline = try await app.call(.GET, "/api/v1/cases/\(childCase)/timeline", token: f.admin).list
            #expect(childTimeline.last?["kind"] as? String == "case_linked", "the link comes after the ticket's own history")
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
            #expect(page.status == .ok && page.text.contains("Import from another help desk") && page.text.contains("Export folder"))
            let refused = try await admin.post(app, "/admin/imports", ["source": "rt", "url": "http://127.0.0.1:9", "user": "root", "password": "secret-pass-4711"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("could not read Request Tracker") && refused.text.contains("127.0.0.1:9"))
            #expect(refused.text.contains("type=\"password\"") && !refused.text.contains("secret-pass-4711"), "a password is typed unseen and never shown back")
        }
    }
}
