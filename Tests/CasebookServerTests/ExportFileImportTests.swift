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

    @Test("a Zendesk export: comments public and private in order, groups, organisations, custom fields as fields, a missing file named; twice is once",
          arguments: TestDatabase.all)
    func zendesk(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let lines = try await HelpDeskImports.importExport(app, source: "zendesk", directory: Self.fixtures + "/zendesk") { _, _ in }
            // In the language of the machine running the tests (CommandTextTests checks the words themselves).
            #expect(lines.first == CommandText().importSummary(imported: 3, entries: 5, attachments: 1, skipped: 0, failed: 0), "\(lines)")
            #expect(lines.contains { $0.contains("attachment 9902 (missing.txt)") }, "a file the export lacks is named")
            #expect(!lines.contains { $0.contains("custom field") }, "Plan has a field of its own: \(lines)")
            #expect(lines.contains { $0.contains("link 'incident of problem' to a ticket not imported before it") }, "problem 99 is not in the export")
            let again = try await HelpDeskImports.importExport(app, source: "zendesk", directory: Self.fixtures + "/zendesk") { _, _ in }
            #expect(again.first == CommandText().importSummary(imported: 0, entries: 0, attachments: 0, skipped: 3, failed: 0), "\(again)")

            let (login, messages) = try await Self.messages(app, f, subject: "Cannot log in to the portal")
            #expect(login["status"] as? String == "solved" && login["priority"] as? String == "high")
            #expect(login["created_at"] as? String == "2026-03-02T09:15:00.000Z")
            #expect(messages.map { $0["visibility"] as? String } == ["public", "internal", "public"], "nothing left over for a note")
            #expect(login["custom_fields"] as? [String: String] == ["plan": "gold"])
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
            #expect(printer["custom_fields"] as? [String: String] == ["plan": "silver"])
        }
    }

    @Test("a Freshdesk export: the description and conversations, private notes internal, companies and agents", arguments: TestDatabase.all)
    func freshdesk(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let lines = try await HelpDeskImports.importExport(app, source: "freshdesk", directory: Self.fixtures + "/freshdesk") { _, _ in }
            #expect(lines.first == CommandText().importSummary(imported: 2, entries: 5, attachments: 1, skipped: 0, failed: 0), "\(lines)")
            let (refund, messages) = try await Self.messages(app, f, subject: "Refund for a double charge")
            #expect(refund["status"] as? String == "solved" && refund["priority"] as? String == "high")
            #expect(messages.compactMap { $0["text"] as? String }.prefix(4) == ["I was charged twice.", "Checking with finance.", "The second charge is refunded.", "Thank you!"])
            #expect(messages.map { $0["visibility"] as? String }.prefix(4) == ["public", "internal", "public", "public"])
            #expect((messages.first?["html"] as? String)?.contains("I was charged twice.") == true, "Freshdesk's HTML is kept beside the text")
            #expect(refund["custom_fields"] as? [String: String] == ["order_number": "A-1234"], "an empty field makes none")
            #expect(messages.count == 4, "nothing left over for a note")
            let people = try await app.call(.GET, "/api/v1/users", token: f.admin).list
            #expect(people.contains { $0["email"] as? String == "rita@support.example" && $0["role"] as? String == "agent" })
            #expect(people.contains { $0["email"] as? String == "maya@globex.example" && $0["organisation_id"] != nil })
            let (question, _) = try await Self.messages(app, f, subject: "How do I export my data?")
            #expect(question["status"] as? String == "pending_customer" && question["priority"] as? String == "low")
        }
    }

    @Test("an export that is not one, or is the other help desk's, is refused with a message")
    func refusals() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("cb-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: ImportFileError.missing("tickets.json")) { try ZendeskExport(.directory(empty)) }
        try Data("{\"id\": 1}\nnot json\n".utf8).write(to: URL(fileURLWithPath: empty + "/tickets.json"))
        #expect(throws: ImportFileError.unreadable("tickets.json", "line 2 is not a JSON object")) { try FreshdeskExport(.directory(empty)) }
        #expect(throws: ImportFileError.otherKind("Freshdesk")) { try ZendeskExport(.directory(Self.fixtures + "/freshdesk")) }
        #expect(throws: ImportFileError.otherKind("Zendesk")) { try FreshdeskExport(.directory(Self.fixtures + "/zendesk")) }
        #expect(ExportFiles.directory(empty).attachment("../..", "passwd") == nil && ExportFiles.directory(empty).attachment("1", "../../etc/passwd") == nil)
        try? FileManager.default.removeItem(atPath: empty)
    }

    @Test("an export unpacked in the import folder is imported from the admin pages in the background; a missing, outside or unreadable folder is refused",
          arguments: TestDatabase.all)
    func fromTheImportFolder(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let folder = app.casebook.configuration.importFolder
            try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.fixtures + "/zendesk", toPath: folder + "/zendesk-export")
            let good = ["source": "zendesk", "folder": "zendesk-export"]
            #expect(try await app.call(.POST, "/api/v1/imports", token: f.agent, json: good).status == .forbidden)
            for body in [["source": "zendesk"], ["source": "zendesk", "folder": "../zendesk-export"], ["source": "zendesk", "folder": "/etc"],
                         ["source": "zendesk", "folder": ".."], ["source": "zendesk", "folder": "nowhere"], ["source": "freshdesk", "folder": "empty"],
                         ["source": "zendesk", "folder": String(repeating: "a", count: 5_000)]] {
                let answer = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: body)
                #expect(answer.status == .unprocessableEntity && answer.isProblem && answer.text.contains("folder"), "\(body): \(answer.text)")
            }
            let nul = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: ["source": "zendesk", "folder": "zendesk-export\u{0}"])
            #expect(nul.status == .badRequest && nul.isProblem, "a NUL in the body is refused before the folder is looked at")
            let missing = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: ["source": "zendesk", "folder": "nowhere"])
            #expect(missing.text.contains("empty, zendesk-export"), "the folders there are named: \(missing.text)")
            let wrongKind = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: ["source": "freshdesk", "folder": "zendesk-export"])
            #expect(wrongKind.status == .unprocessableEntity && wrongKind.text.contains("it is a Zendesk export"),
                    "a Zendesk export started as Freshdesk's is refused before anything is imported: \(wrongKind.text)")
            #expect(try await rowCount(app, "import_runs") == 0)

            func imported() async throws -> [String: Any] {
                let started = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: good)
                #expect(started.status == .accepted, "\(started.text)")
                let id = try #require(started.json["id"] as? String)
                while await app.jobs.runDue() > 0 {}
                return try await app.call(.GET, "/api/v1/imports/\(id)", token: f.admin).json
            }
            // The first import a record at a time, as the background job would with a larger window.
            let started = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: good)
            #expect(started.status == .accepted, "\(started.text)")
            let runID = try #require(UUID(uuidString: started.json["id"] as? String ?? ""))
            var slices = 1
            while try await !ExportFileImport.runSlice(runID, services: app.casebook, records: 1) { slices += 1 }
            #expect(slices == 3, "three ticket records, one a slice")
            let partway = try await app.call(.GET, "/api/v1/imports/\(runID.uuidString)", token: f.admin).json
            #expect(partway["imported"] as? Int == 3 && partway["skipped"] as? Int == 0, "\(partway)")
            while await app.jobs.runDue() > 0 {}
            let first = try await app.call(.GET, "/api/v1/imports/\(runID.uuidString)", token: f.admin).json
            #expect(first["status"] as? String == "done" && first["source"] as? String == "zendesk" && first["base_url"] as? String == "zendesk-export")
            #expect(first["imported"] as? Int == 3 && first["total"] as? Int == 3 && first["progress"] as? Int == 100 && first["attachments"] as? Int == 1)
            #expect((first["notes"] as? [String])?.contains { $0.contains("attachment 9902 (missing.txt)") } == true, "\(first)")
            let (login, _) = try await Self.messages(app, f, subject: "Cannot log in to the portal")
            #expect(login["custom_fields"] as? [String: String] == ["plan": "gold"])
            let second = try await imported()
            #expect(second["status"] as? String == "done" && second["imported"] as? Int == 0 && second["skipped"] as? Int == 3, "nothing comes twice")
        }
    }
}
