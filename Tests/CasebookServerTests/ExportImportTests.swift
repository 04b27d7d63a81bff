@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient
import NIOConcurrencyHelpers

@Suite("Export and import")
struct ExportImportTests {
    static func export(_ app: Application) async throws -> Data {
        let data = NIOLockedValueBox(Data())
        try await DataExport.run(app, write: { line in data.withLockedValue { $0.append(line) } }, progress: { _, _ in })
        return data.withLockedValue { $0 }
    }

    static func lines(_ data: Data) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            for line in data.split(separator: 0x0A) { continuation.yield(Data(line)) }
            continuation.finish()
        }
    }

    @Test("an export imported into an empty database reproduces it exactly", arguments: TestDatabase.all)
    func roundTrip(database: TestDatabase) async throws {
        var first = Data()
        try await withCasebook(database) { app in
            let summary = try await DemoData.load(app, cases: 25)
            #expect(summary.cases == 26, "25 conversations and the incident the demo's alert opened")
            // The demo loads every feature (service levels, rules, knowledge, equipment, a problem and its report, an alert, a call).
            let sql0 = app.db as! any SQLDatabase
            for table in ["sla_policies", "automation_rules", "knowledge_articles", "assets", "work_orders", "problems", "rca_reports", "monitoring_alerts", "calls"] {
                #expect(try await sql0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0 > 0, "demo leaves \(table) empty")
            }
            let f = try await app.call(.GET, "/api/v1/cases?limit=100", token: try await AdminOperations.issueToken(app, email: "admin@casebook.example", name: "t"))
            #expect((f.json["items"] as? [Any])?.count == 26)
            let files = try await Self.storeFilesOutsideAttachments(app)
            first = try await Self.export(app)
            let blobs = Set(first.split(separator: 0x0A).compactMap { line -> String? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], object["kind"] as? String == "blob" else { return nil }
                return object["sha256"] as? String
            })
            #expect(blobs.isSuperset(of: files), "a call's recording and a large mail travel with the export")
            // Every table that holds rows is in the export, apart from the few left out on purpose.
            let sql = app.db as! any SQLDatabase
            let exported = Set(first.split(separator: 0x0A).compactMap { line -> String? in
                (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["table"] as? String
            })
            var filled: Set<String> = []
            for table in try await ExportCatalog.tables(on: sql) where try await ExportRows.count(table, on: sql) > 0 { filled.insert(table.name) }
            #expect(filled == exported)
            for table in ["sla_policies", "business_calendars", "automation_rules", "knowledge_articles", "assets", "canned_responses",
                          "problems", "case_terms", "outbound_messages", "jobs"] {
                #expect(exported.contains(table), "\(table) is exported")
            }
        }
        #expect(first.count > 10_000)
        try await withCasebook(database) { app in
            let count = try await DataImport.run(app, lines: { [first] in Self.lines(first) }, progress: { _ in })
            #expect(count > 100)
            let second = try await Self.export(app)
            #expect(second == first, "\(firstDifference(first, second))")
            for digest in try await StoredFileRepository.named(on: app.casebook.store.sql) {
                #expect(try await app.casebook.blobs.get(digest) != nil, "\(digest) is readable after the import")
            }
            let token = try await AdminOperations.issueToken(app, email: "lena@casebook.example", name: "after import")
            let search = try await app.call(.GET, "/api/v1/cases?q=controller", token: token)
            #expect(((search.json["items"] as? [Any])?.count ?? 0) > 0, "the search index is rebuilt")
            let more = try await app.call(.POST, "/api/v1/cases", token: token, json: ["subject": "After import", "description": "numbers continue"])
            #expect(more.json["number"] as? Int == 10026)
        }
    }

    /// A call's recording and an inbound mail too large for its row: files only the file store holds.
    static func storeFilesOutsideAttachments(_ app: Application) async throws -> Set<String> {
        let token = try await AdminOperations.issueToken(app, email: "admin@casebook.example", name: "files")
        let call = try await app.call(.POST, "/api/v1/cases/CB-10001/calls", token: token, json: ["direction": "outbound", "number": "+34 600 000 000", "duration_seconds": 60])
        let id = try #require(call.json["id"] as? String, "\(call.text)")
        let wav = Self.wav(seconds: 1)
        var headers = HTTPHeaders()
        headers.add(name: .authorization, value: "Bearer \(token)")
        headers.contentType = HTTPMediaType(type: "audio", subType: "wav")
        let uploaded = try await app.testing().sendRequest(.PUT, "/api/v1/cases/CB-10001/calls/\(id)/recording", headers: headers, body: ByteBuffer(data: wav))
        #expect(uploaded.status == .accepted)
        let padding = String(repeating: "A long trace line from the controller.\r\n", count: 30_000)
        let raw = Data(InboundEmailTests.mail(subject: "Trace attached inline", messageID: "<trace@acme.example>", body: padding).utf8)
        #expect(raw.count > ReceiveEmail.inlineLimit)
        _ = try await ReceiveEmail(services: app.casebook).accept(raw)
        return [BlobDigest.of(wav), BlobDigest.of(raw)]
    }

    /// A silent 16 kHz mono PCM recording.
    static func wav(seconds: Int) -> Data {
        let samples = 16_000 * seconds
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes = Array("RIFF".utf8) + le32(36 + samples * 2) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(16_000) + le32(32_000) + le16(2) + le16(16)
        bytes += Array("data".utf8) + le32(samples * 2) + [UInt8](repeating: 0, count: samples * 2)
        return Data(bytes)
    }

    @Test("tables come after the tables they refer to")
    func dependencyOrder() {
        let order = ExportCatalog.dependencyOrder(["messages", "cases", "users", "organisations", "timeline"], references: [
            "messages": ["cases", "users"], "cases": ["users", "organisations", "cases"], "users": ["organisations"],
            "timeline": ["cases", "messages", "unknown"],
        ])
        #expect(order == ["organisations", "users", "cases", "messages", "timeline"])
        #expect(ExportCatalog.dependencyOrder(["b", "a"], references: ["a": ["b"], "b": ["a"]]).count == 2, "a cycle still lists every table")
    }

    @Test("import refuses a database that already holds data, and bad lines")
    func refusals() async throws {
        try await withCasebook(.sqlite) { app in
            _ = try await Fixture.make(app)
            await #expect(throws: DataImport.NotEmpty.self) {
                _ = try await DataImport.run(app, lines: { Self.lines(Data("{}".utf8)) }, progress: { _ in })
            }
        }
        let header = #"{"database":"sqlite","format":"casebook-export","kind":"header","version":2}"#
        let bad: [(String, String)] = [
            ("not json", "not a JSON object"),
            (#"{"kind":"row","table":"users","row":{}}"#, "header"),
            (#"{"database":"postgresql","format":"casebook-export","kind":"header","version":2}"#, "taken from postgresql"),
            (#"{"database":"sqlite","format":"casebook-export","kind":"header","version":1}"#, "version 1"),
            (header + "\n" + #"{"kind":"row","table":"nowhere","row":{}}"#, "unknown table"),
            (header + "\n" + #"{"kind":"row","table":"organisations","row":{"id":"x","evil\" TEXT":1}}"#, "no column"),
            (header + "\n" + #"{"kind":"row","table":"organisations","row":{"id":{"$base64":"%%%"}}}"#, "not one this database stores"),
            (header + "\n" + #"{"kind":"row","table":"users","row":{"id":"u1"}}"#, "refused a row"),
            (header + "\n" + #"{"kind":"blob","sha256":"00","data":"aGVsbG8="}"#, "SHA-256"),
        ]
        for (text, reason) in bad {
            try await withCasebook(.sqlite) { app in
                do {
                    _ = try await DataImport.run(app, lines: { Self.lines(Data(text.utf8)) }, progress: { _ in })
                    Issue.record("accepted: \(text)")
                } catch let error as DataImport.BadLine {
                    #expect(error.description.contains(reason), "\(error.description)")
                }
                let sql = app.db as! any SQLDatabase
                #expect(try await sql.raw("SELECT count(*) AS n FROM organisations").first()?.decode(column: "n", as: Int.self) == 0, "nothing kept")
                #expect(try await sql.raw("SELECT count(*) AS n FROM counters").first()?.decode(column: "n", as: Int.self) ?? 0 > 0,
                        "the migrations' own rows are back after a refused import")
            }
        }
    }
}

/// Prints the first differing line of two exports, to explain a failed round trip.
func firstDifference(_ a: Data, _ b: Data) -> String {
    let left = a.split(separator: 0x0A), right = b.split(separator: 0x0A)
    for (l, r) in zip(left, right) where l != r {
        return "\(String(decoding: l, as: UTF8.self))\nvs\n\(String(decoding: r, as: UTF8.self))"
    }
    return "line counts \(left.count) vs \(right.count)"
}
