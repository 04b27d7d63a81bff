@testable import CasebookServer
import CasebookCore
import Crypto
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Importing Zendesk and Freshdesk exports")
struct ExportFileImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/fixtures").path

    static func messages(_ app: Application, _ f: Fixture, subject: String) async throws -> (case: [String: Any], messages: [[String: Any]]) {
        let found = try await app.call(.GET, "/api/v1/cases?q=\(subject.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&status=new,open,pending_customer,pending_vendor,solved,closed",
                                       token: f.admin).json["items"] as? [[String: Any]] ?? []
        let kase = try #require(found.first { $0["subject"] as? String == subject })
        let reference = try #require(kase["reference"] as? String)
        return (try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.admin).json,
                try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.admin).list)
    }

    @Test("a Zendesk export: comments public and private in order, groups, organisations, custom fields kept, a missing file named; twice is once",
          arguments: TestDatabase.all)
    func zendesk(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let lines = try await HelpDeskImports.importExport(app, source: "zendesk", directory: Self.fixtures + "/zendesk") { _, _ in }
            #expect(lines.first == "Imported 3 tickets (5 history entries, 1 attachments); 0 were already here; 0 failed.", "\(lines)")
            #expect(lines.contains { $0.contains("attachment 9902 (missing.txt)") }, "a file the export lacks is named")
            #expect(lines.contains { $0.contains("custom field 'Plan'") })
            let again = try await HelpDeskImports.importExport(app, source: "zendesk", directory: Self.fixtures + "/zendesk") { _, _ in }
            #expect(again.first?.hasPrefix("Imported 0 tickets") == true && again.first?.contains("3 were already here") == true)

            let (login, messages) = try await Self.messages(app, f, subject: "Cannot log in to the portal")
            #expect(login["status"] as? String == "solved" && login["priority"] as? String == "high")
            #expect(login["created_at"] as? String == "2026-03-02T09:15:00.000Z")
            #expect(messages.map { $0["visibility"] as? String } == ["public", "internal", "public", "internal"])
            #expect((messages.last?["text"] as? String)?.contains("Plan: gold") == true)
            let file = try #require((messages.first?["attachments"] as? [[String: Any]])?.first)
            let bytes = try await app.call(.GET, "/api/v1/cases/\(login["reference"] as! String)/attachments/\(file["id"] as! String)", token: f.admin).body
            #expect(bytes == FileManager.default.contents(atPath: Self.fixtures + "/zendesk/attachments/9001/error.png"))
            let groups = try await app.call(.GET, "/api/v1/groups", token: f.admin).list.compactMap { $0["name"] as? String }
            #expect(groups.contains("Tier 1") && groups.contains("Billing"))
            let (vat, vatMessages) = try await Self.messages(app, f, subject: "Invoice shows the wrong VAT")
            #expect(vat["status"] as? String == "pending_vendor" && (vatMessages.last?["text"] as? String)?.contains("Status there: hold") == true)
            let (printer, printerMessages) = try await Self.messages(app, f, subject: "Printer offline")
            #expect(printer["priority"] as? String == "urgent" && printerMessages.first?["text"] as? String == "The office printer is offline.")
            #expect((printerMessages.last?["text"] as? String)?.contains("incident of problem Zendesk #99") == true)
        }
    }

    @Test("a Freshdesk export: the description and conversations, private notes internal, companies and agents", arguments: TestDatabase.all)
    func freshdesk(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let lines = try await HelpDeskImports.importExport(app, source: "freshdesk", directory: Self.fixtures + "/freshdesk") { _, _ in }
            #expect(lines.first == "Imported 2 tickets (5 history entries, 1 attachments); 0 were already here; 0 failed.", "\(lines)")
            let (refund, messages) = try await Self.messages(app, f, subject: "Refund for a double charge")
            #expect(refund["status"] as? String == "solved" && refund["priority"] as? String == "high")
            #expect(messages.compactMap { $0["text"] as? String }.prefix(4) == ["I was charged twice.", "Checking with finance.", "The second charge is refunded.", "Thank you!"])
            #expect(messages.map { $0["visibility"] as? String }.prefix(4) == ["public", "internal", "public", "public"])
            #expect((messages.last?["text"] as? String)?.contains("order number: A-1234") == true)
            let people = try await app.call(.GET, "/api/v1/users", token: f.admin).list
            #expect(people.contains { $0["email"] as? String == "rita@support.example" && $0["role"] as? String == "agent" })
            #expect(people.contains { $0["email"] as? String == "maya@globex.example" && $0["organisation_id"] != nil })
            let (question, _) = try await Self.messages(app, f, subject: "How do I export my data?")
            #expect(question["status"] as? String == "pending_customer" && question["priority"] as? String == "low")
        }
    }

    @Test("an export that is not one is refused with a message")
    func refusals() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("cb-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: ImportFileError.missing("tickets.json")) { try ZendeskExport(.directory(empty)) }
        try Data("{\"id\": 1}\nnot json\n".utf8).write(to: URL(fileURLWithPath: empty + "/tickets.json"))
        #expect(throws: ImportFileError.unreadable("tickets.json", "line 2 is not a JSON object")) { try FreshdeskExport(.directory(empty)) }
        #expect(ExportFiles.directory(empty).attachment("../..", "passwd") == nil && ExportFiles.directory(empty).attachment("1", "../../etc/passwd") == nil)
        try? FileManager.default.removeItem(atPath: empty)
    }
}
