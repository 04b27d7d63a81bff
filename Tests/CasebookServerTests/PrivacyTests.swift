@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Privacy requests: export and anonymise a person")
struct PrivacyTests {
    /// The entries of a stored (uncompressed) ZIP, read through its central directory as any unzip tool would.
    static func unzip(_ data: Data) -> [String: Data] {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 22 else { return [:] }
        let end = bytes.count - 22
        var at = u32(end + 16)
        var entries: [String: Data] = [:]
        for _ in 0..<u16(end + 10) {
            let size = u32(at + 24), nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32), local = u32(at + 42)
            let name = String(decoding: bytes[at + 46..<at + 46 + nameLength], as: UTF8.self)
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            entries[name] = Data(bytes[start..<start + size])
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    static func solve(_ app: Application, _ reference: String, token: String) async throws {
        let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: token).json["version"] as? Int ?? 1
        let solved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: token, json: ["version": version, "status": "solved"])
        guard solved.status == .ok else { throw FixtureError(message: solved.text) }
    }

    @Test("an admin downloads everything about a person as one ZIP: profile, cases, messages and the files themselves; internal notes only when asked; the export is on the audit log",
          arguments: TestDatabase.all)
    func export(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Invoice 42 is wrong", description: "Please check invoice 42.")
            let file = Data("scan of the invoice".utf8)
            let upload: [String: Any] = ["text": "Here is the scan", "attachments": [["filename": "../invoice 42.pdf", "content_type": "application/pdf",
                                                                                   "data": file.base64EncodedString()]]]
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: upload).status == .created)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent,
                                       json: ["text": "Finance says she is right", "visibility": "internal"]).status == .created)

            #expect(try await app.call(.GET, "/api/v1/privacy/\(f.customerID)/export", token: f.agent).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/privacy/\(UUID())/export", token: f.admin).status == .notFound)
            let found = try await app.call(.GET, "/api/v1/privacy?q=carla", token: f.admin)
            #expect(found.list.count == 1 && found.list.first?["cases"] as? Int == 1 && found.list.first?["anonymised"] as? Bool == false)

            let download = try await app.call(.GET, "/api/v1/privacy/\(f.customerID)/export", token: f.admin)
            #expect(download.status == .ok && download.headers.contentType?.description == "application/zip")
            #expect(download.headers.first(name: .contentDisposition)?.contains("privacy-export-") == true)
            let entries = Self.unzip(download.body)
            let json = try #require(entries["person.json"])
            let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect((document["person"] as? [String: Any])?["email"] as? String == "carla@acme.example")
            let cases = try #require(document["cases"] as? [[String: Any]])
            #expect((cases.first?["record"] as? [String: Any])?["subject"] as? String == "Invoice 42 is wrong")
            let texts = (cases.first?["messages"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(texts.contains("Here is the scan") && !texts.contains("Finance says she is right"))
            let number = (cases.first?["record"] as? [String: Any])?["number"] as? Int ?? 0
            #expect(entries["attachments/\(number)/invoice 42.pdf"] == file, "\(entries.keys.sorted())")
            #expect((document["tokens"] as? [[String: Any]])?.isEmpty == false)

            let withNotes = Self.unzip(try await app.call(.GET, "/api/v1/privacy/\(f.customerID)/export?internal=true", token: f.admin).body)
            #expect(String(decoding: withNotes["person.json"] ?? Data(), as: UTF8.self).contains("Finance says she is right"))

            let log = try await app.call(.GET, "/api/v1/audit-events?category=export", token: f.admin)
            #expect(log.list.contains { ($0["action"] as? String ?? "").contains("/privacy/\(f.customerID)/export") })
        }
    }

    @Test("anonymising keeps the cases but takes the person out of them: name, address and phone replaced, files removed, signed out, no longer found by search; refused for staff, open cases, a held organisation or a wrong confirmation",
          arguments: TestDatabase.all)
    func anonymise(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["phone": "+34 600 123 456"]).status == .ok)
            let reference = try await f.openCase(app, subject: "Carla's laptop", description: "Call me on 600 123 456, carla@acme.example. Regards, carla")
            let file = Data("carla's passport scan".utf8)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer,
                                       json: ["text": "Attached", "attachments": [["filename": "passport.png", "data": file.base64EncodedString()]]]).status == .created)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "Thanks carla, fixed."]).status == .created)
            let path = "/api/v1/privacy/\(f.customerID)/anonymise"

            let open = try await app.call(.POST, path, token: f.admin, json: ["confirm": "carla@acme.example"])
            #expect(open.status == .conflict && open.text.contains(reference.split(separator: "-").last.map(String.init) ?? "?"), "\(open.text)")
            try await Self.solve(app, reference, token: f.agent)
            let wrong = try await app.call(.POST, path, token: f.admin, json: ["confirm": "colin@acme.example"])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("confirm"))
            #expect(try await app.call(.POST, "/api/v1/privacy/\(f.agentID)/anonymise", token: f.admin, json: ["confirm": "agent@cb.example"]).status == .conflict)
            #expect(try await app.call(.POST, path, token: f.agent, json: ["confirm": "carla@acme.example"]).status == .forbidden)
            let hold = try await app.call(.POST, "/api/v1/legal-holds", token: f.admin, json: ["organisation_id": f.organisationID, "reason": "Dispute"])
            #expect(hold.status == .created, "\(hold.text)")
            #expect(try await app.call(.POST, path, token: f.admin, json: ["confirm": "carla@acme.example"]).status == .conflict)
            #expect(try await app.call(.DELETE, "/api/v1/legal-holds/\(hold.json["id"] as? String ?? "")", token: f.admin).status == .noContent)
            func found(_ word: String) async throws -> Int {
                ((try await app.call(.GET, "/api/v1/cases?q=\(word)", token: f.agent).json["items"] as? [Any]) ?? []).count
            }
            #expect(try await found("laptop") == 1)
            #expect(try await found("regards") == 1)

            let done = try await app.call(.POST, path, token: f.admin, json: ["confirm": " Carla@Acme.example "])
            #expect(done.status == .ok && done.json["cases"] as? Int == 1 && done.json["files_removed"] as? Int == 1, "\(done.text)")
            #expect(try await !app.casebook.blobs.contains(BlobDigest.of(file)))

            let person = try await app.call(.GET, "/api/v1/users/\(f.customerID)", token: f.admin).json
            #expect(person["email"] as? String == "anonymised-\(f.customerID.lowercased().prefix(8))@anonymised.invalid")
            #expect(person["name"] as? String == "Anonymised person" && person["phone"] == nil && person["active"] as? Bool == false)
            #expect(try await app.call(.GET, "/api/v1/me", token: f.customer).status == .unauthorized, "their tokens are gone")
            let record = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent)
            #expect(record.status == .ok && record.json["subject"] as? String == "[removed]'s laptop")
            let messages = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).text
            #expect(!messages.lowercased().contains("carla") && !messages.contains("600 123 456") && messages.contains("Thanks [removed], fixed."))
            #expect(!messages.contains("passport.png"), "the files they sent are gone")
            #expect(try await found("laptop") == 0, "word search no longer finds the case by what was written before")
            #expect(try await found("regards") == 0)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).status == .ok, "the case itself stays")

            let again = try await app.call(.POST, path, token: f.admin, json: ["confirm": person["email"] as? String ?? ""])
            #expect(again.status == .conflict)
            let log = try await app.call(.GET, "/api/v1/audit-events?category=privacy", token: f.admin)
            let entry = try #require(log.list.first { ($0["action"] as? String ?? "").hasSuffix("/anonymise") && $0["outcome"] as? Int == 200 })
            #expect(entry["before"] == nil || entry["before"] is NSNull)
            #expect(!(entry["after"] as? String ?? "").contains("carla"), "the log says what was done, not what was removed")
        }
    }
}
