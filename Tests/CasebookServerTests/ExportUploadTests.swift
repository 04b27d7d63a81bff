@testable import CasebookServer
import CasebookCore
import Foundation
import Testing
import Vapor

@Suite("Uploading a Zendesk or Freshdesk export as a zip")
struct ExportUploadTests {
    static let zips = ExportFileImportTests.fixtures + "/zips"

    /// A configuration whose import folder is a fresh temporary folder.
    static func configuration() throws -> CasebookConfiguration {
        var configuration = CasebookConfiguration()
        configuration.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cb-upload-\(UUID())").path
        try FileManager.default.createDirectory(atPath: configuration.importFolder, withIntermediateDirectories: true)
        return configuration
    }

    /// Unpacks `archive` (written to a file first) as an upload named `name`.
    static func unpack(_ archive: Data, named name: String, in configuration: CasebookConfiguration) throws -> ExportUpload.Unpacked {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cb-zip-\(UUID()).zip").path
        try archive.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ExportUpload.unpack(path, named: name, in: configuration)
    }

    /// What the import folder holds, staging excepted, as relative paths.
    static func contents(of configuration: CasebookConfiguration) -> [String] {
        let all = (FileManager.default.enumerator(atPath: configuration.importFolder)?.allObjects as? [String]) ?? []
        return all.filter { !$0.hasPrefix(".uploads") }.sorted()
    }

    static func message(_ error: any Error) -> String {
        if case let DomainError.invalid(_, message) = error { return message }
        return "\(error)"
    }

    @Test("a deflated export in one top folder, as a Mac zips it, lands byte for byte in a folder named after the file, the Mac's extra files left out")
    func deflatedInOneFolder() throws {
        let configuration = try Self.configuration()
        let archive = try Data(contentsOf: URL(fileURLWithPath: Self.zips + "/zendesk-export.zip"))
        let unpacked = try Self.unpack(archive, named: "Zendesk export (3).zip", in: configuration)
        #expect(unpacked.folder == "Zendesk-export-3" && unpacked.files == 6, "\(unpacked)")
        let folder = ImportFolder.path(of: unpacked.folder, in: configuration)
        for file in ["tickets.json", "users.json", "attachments/9001/error.png"] {
            #expect(FileManager.default.contents(atPath: folder + "/" + file) == FileManager.default.contents(atPath: ExportFileImportTests.fixtures + "/zendesk/" + file), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/.DS_Store") && !Self.contents(of: configuration).contains { $0.contains("MACOSX") })
        let again = try Self.unpack(archive, named: "Zendesk export (3).zip", in: configuration)
        #expect(again.folder == "Zendesk-export-3-2", "a name already taken is numbered, nothing overwritten")
        #expect(ImportFolder.names(in: configuration).sorted() == ["Zendesk-export-3", "Zendesk-export-3-2"], "staging is never offered")
    }

    @Test("the folder's name is made safe from whatever the uploaded file was called: no path, no hidden name, no NUL, not endless")
    func hostileNames() throws {
        let configuration = try Self.configuration()
        let cases: [(String, String)] = [
            ("../../etc/cron.d/evil.zip", "evil"), ("/absolute/path.zip", "path"), (".hidden.zip", "hidden"), ("", "upload"),
            ("...zip", "upload"), ("a\u{0}b.zip", "a-b"), ("Ünïcode export.ZIP", "Ünïcode-export"), ("\\server\\share.zip", "server-share"),
            (String(repeating: "x", count: 5_000) + ".zip", String(repeating: "x", count: 80)),
        ]
        for (name, folder) in cases {
            let made = ExportUpload.freeName(for: name, in: configuration)
            #expect(made == folder, "\(name.prefix(40)) → \(made)")
            #expect(!made.contains("/") && !made.hasPrefix(".") && ImportFolder.path(of: made, in: configuration).hasPrefix(configuration.importFolder + "/"))
        }
    }

    @Test("ZIP64 sizes and directory, and stored entries as Casebook's own writer makes them, unpack")
    func zip64AndStored() throws {
        let configuration = try Self.configuration()
        let zip64 = try Self.unpack(try Data(contentsOf: URL(fileURLWithPath: Self.zips + "/zip64.zip")), named: "big.zip", in: configuration)
        #expect(String(decoding: FileManager.default.contents(atPath: ImportFolder.path(of: zip64.folder, in: configuration) + "/tickets.json") ?? Data(),
                       as: UTF8.self).contains("Zip64"))
        var archive = ZipArchive()
        let large = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try archive.add("tickets.json", Data("[]".utf8))
        try archive.add("attachments/1/big.bin", large)
        let stored = try Self.unpack(archive.finished(), named: "stored", in: configuration)
        #expect(stored.bytes == large.count + 2)
        #expect(FileManager.default.contents(atPath: ImportFolder.path(of: stored.folder, in: configuration) + "/attachments/1/big.bin") == large)
    }

    @Test("a damaged, encrypted, climbing, empty-handed or non-zip archive is refused with its reason, and leaves nothing behind")
    func refusals() throws {
        let configuration = try Self.configuration()
        var archive = ZipArchive()
        try archive.add("tickets.json", Data("[{\"id\": 1}]".utf8))
        let good = archive.finished()
        var damaged = good
        damaged[30 + "tickets.json".utf8.count + 2] ^= 0xFF
        var encrypted = good
        let directory = try #require(encrypted.range(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        encrypted[directory + 8] |= 1
        let cases: [(Data, String)] = [
            (damaged, "does not match its checksum"), (encrypted, "encryption"), (Data("just text, no archive".utf8), "not a zip archive"),
            (try Data(contentsOf: URL(fileURLWithPath: Self.zips + "/climbs-out.zip")), "would land outside its folder"),
            (try Data(contentsOf: URL(fileURLWithPath: Self.zips + "/no-tickets.zip")), "holds no tickets.json"),
            (good.prefix(good.count - 30), "not a zip archive"),
        ]
        for (data, reason) in cases {
            #expect(throws: (any Error).self) { try Self.unpack(data, named: "export.zip", in: configuration) }
            do { _ = try Self.unpack(data, named: "export.zip", in: configuration) } catch {
                #expect(Self.message(error).contains(reason), "\(reason): \(error)")
            }
        }
        #expect(Self.contents(of: configuration).isEmpty, "\(Self.contents(of: configuration))")
        let staging = ExportUpload.stagingFolder(in: configuration)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty, "no half-unpacked folder stays")
        #expect(!FileManager.default.fileExists(atPath: (configuration.importFolder as NSString).deletingLastPathComponent + "/etc"))
    }

    @Test("through the API: an admin uploads the zip, the answer names the folder, an import from it brings every ticket; others, too large and not a zip refused",
          arguments: TestDatabase.all)
    func api(database: TestDatabase) async throws {
        try await withCasebook(database, configure: { $0.importUploadLimit = 64 * 1024 }) { app in
            let f = try await Fixture.make(app)
            let zip = try Data(contentsOf: URL(fileURLWithPath: Self.zips + "/zendesk-export.zip"))
            let type = [("Content-Type", "application/zip")]
            #expect(try await app.call(.POST, "/api/v1/imports/uploads?name=z.zip", token: f.agent, data: zip, headers: type).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/imports/uploads?name=z.zip", data: zip, headers: type).status == .unauthorized)
            let uploaded = try await app.call(.POST, "/api/v1/imports/uploads?name=zendesk-2026-12.zip", token: f.admin, data: zip, headers: type)
            #expect(uploaded.status == .created && uploaded.json["folder"] as? String == "zendesk-2026-12" && uploaded.json["files"] as? Int == 6,
                    "\(uploaded.text)")
            let started = try await app.call(.POST, "/api/v1/imports", token: f.admin, json: ["source": "zendesk", "folder": "zendesk-2026-12"])
            #expect(started.status == .accepted, "\(started.text)")
            while await app.jobs.runDue() > 0 {}
            let run = try await app.call(.GET, "/api/v1/imports/\(started.json["id"] as? String ?? "")", token: f.admin).json
            #expect(run["status"] as? String == "done" && run["imported"] as? Int == 3 && run["attachments"] as? Int == 1, "\(run)")

            let tooLarge = try await app.call(.POST, "/api/v1/imports/uploads", token: f.admin, data: Data(count: 70 * 1024), headers: type)
            #expect(tooLarge.status == .payloadTooLarge && tooLarge.isProblem && tooLarge.text.contains("CASEBOOK_IMPORT_UPLOAD_MAX_MB"), "\(tooLarge.text)")
            let notZip = try await app.call(.POST, "/api/v1/imports/uploads", token: f.admin, data: Data("hello".utf8), headers: type)
            #expect(notZip.status == .unprocessableEntity && notZip.isProblem && notZip.text.contains("not a zip"), "\(notZip.text)")
            let climbing = try await app.call(.POST, "/api/v1/imports/uploads?name=..%2F..%2Fevil.zip", token: f.admin, data: zip, headers: type)
            #expect(climbing.status == .created && climbing.json["folder"] as? String == "evil", "a path in the name is dropped: \(climbing.text)")
            let empty = try await app.call(.POST, "/api/v1/imports/uploads", token: f.admin, data: Data(), headers: type)
            #expect(empty.status == .unprocessableEntity && empty.isProblem, "\(empty.text)")
            #expect(ImportFolder.names(in: app.casebook.configuration).sorted() == ["evil", "zendesk-2026-12"], "a refused upload leaves no folder")
        }
    }
}
