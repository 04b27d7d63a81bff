@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Stored files: one store interface, on disk or in the database")
struct BlobStoreTests {
    /// Bytes that do not repeat, so a chunk out of place cannot go unnoticed.
    static func bytes(_ count: Int, seed: UInt8 = 7) -> Data {
        var state = UInt32(seed) &+ 1
        return Data((0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        })
    }

    static func directoryStore(_ app: Application) -> DirectoryBlobStore {
        DirectoryBlobStore(root: (app.casebook.configuration.dataDirectory as NSString).appendingPathComponent("attachments"),
                           io: app.casebook.blockingIO)
    }

    /// What every store must do: keep bytes once under their digest, hand them back whole, list and forget them.
    static func contract(_ store: any BlobStore) async throws {
        let large = bytes(3 * DatabaseBlobStore.chunkSize + 12_345)
        let digest = try await store.put(large)
        #expect(digest == BlobDigest.of(large))
        #expect(try await store.put(large) == digest, "the same bytes are stored once")
        #expect(try await store.get(digest) == large)
        #expect(try await store.contains(digest))
        let empty = try await store.put(Data())
        #expect(try await store.get(empty) == Data(), "an empty file is a file")
        let small = try await store.put(Data("hello".utf8))
        #expect(try await store.get(String(repeating: "0", count: 64)) == nil)
        #expect(try await store.get("../../etc/passwd") == nil)
        #expect(try await !store.contains("../x"))

        let all = [digest, empty, small].sorted()
        #expect(try await store.digests(after: nil, limit: 10) == all)
        #expect(try await store.digests(after: nil, limit: 2) == Array(all.prefix(2)))
        #expect(try await store.digests(after: all[1], limit: 10) == [all[2]], "a walk resumes after the last digest it saw")

        try await store.remove(small)
        try await store.remove(small)
        #expect(try await store.get(small) == nil)
        #expect(try await !store.contains(small))

        // The sweep's removal: only a file last kept before the cutoff goes.
        let kept = try await store.put(Data("kept a moment ago".utf8))
        #expect(try await !store.remove(kept, ifKeptBefore: Date().addingTimeInterval(-60)))
        #expect(try await store.contains(kept), "a file kept after the cutoff stays")
        #expect(try await store.remove(kept, ifKeptBefore: Date().addingTimeInterval(60)))
        #expect(try await !store.contains(kept))
        #expect(try await !store.remove(kept, ifKeptBefore: Date().addingTimeInterval(60)), "a file already gone is not removed twice")
        #expect(try await !store.remove("../../etc/passwd", ifKeptBefore: Date().addingTimeInterval(60)))
    }

    /// Keeping bytes that are there already counts as keeping them now: the sweep then leaves them alone.
    static func keptAgain(_ store: any BlobStore, age: (String) async throws -> Void) async throws {
        let digest = try await store.put(Data("an old file attached again".utf8))
        let dayAgo = Date().addingTimeInterval(-3_600)
        try await age(digest)
        #expect(try await store.put(Data("an old file attached again".utf8)) == digest)
        #expect(try await !store.remove(digest, ifKeptBefore: dayAgo), "kept again just now")
        try await age(digest)
        #expect(try await store.remove(digest, ifKeptBefore: dayAgo), "not kept again since it aged")
    }

    @Test("the directory store keeps files by digest, synced, and refuses bytes that no longer match")
    func directory() async throws {
        try await withCasebook(.sqlite) { app in
            let store = Self.directoryStore(app)
            try await Self.contract(store)
            let digest = try await store.put(Data("original".utf8))
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: DirectoryBlobStore.path(for: digest, root: store.root)))
            await #expect(throws: BlobDamaged.self) { try await store.get(digest) }
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: store.root).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "no temporary file is left behind")
            try await Self.keptAgain(store) { digest in
                let twoDaysAgo = timeval(tv_sec: time(nil) - 2 * 86_400, tv_usec: 0)
                #expect(utimes(DirectoryBlobStore.path(for: digest, root: store.root), [twoDaysAgo, twoDaysAgo]) == 0)
            }
        }
    }

    @Test("the database store keeps a file in chunks of a mebibyte, whole or not at all, and checks it on read", arguments: TestDatabase.all)
    func database(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let store = DatabaseBlobStore(store: app.casebook.store)
            try await Self.contract(store)
            let large = Self.bytes(2 * DatabaseBlobStore.chunkSize + 1, seed: 9)
            let digest = try await store.put(large)
            let sql = app.casebook.store.sql
            let chunks = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("blob_chunks")
                .where("sha256", .equal, digest).first()?.decode(column: "n", as: Int.self)
            #expect(chunks == 3)
            try await app.casebook.store.write { db in
                try await app.casebook.store.sql(db).update("blob_chunks").set("data", to: SQLBind(Data(count: DatabaseBlobStore.chunkSize)))
                    .where("sha256", .equal, digest).where("seq", .equal, 1).run()
            }
            await #expect(throws: BlobDamaged.self) { try await store.get(digest) }
            try await Self.keptAgain(store) { digest in
                try await app.casebook.store.write { db in
                    try await app.casebook.store.sql(db).update("blobs").set("created_at", to: SQLBind(Date().addingTimeInterval(-2 * 86_400)))
                        .where("sha256", .equal, digest).run()
                }
            }
        }
    }

    @Test("files go in the database by default on PostgreSQL and in a folder on SQLite; SQLite refuses the database store")
    func defaults() throws {
        var sqlite = CasebookConfiguration()
        sqlite.database = .sqlite(path: "/tmp/x.sqlite")
        #expect(sqlite.blobStore == .directory)
        sqlite.database = .postgres(url: "postgres://localhost/x")
        #expect(sqlite.blobStore == .database)
        let chosen = try CasebookConfiguration.fromEnvironment(["CASEBOOK_DATABASE_URL": "postgres://localhost/x", "CASEBOOK_BLOB_STORE": "directory"])
        #expect(chosen.blobStore == .directory)
        #expect(throws: ConfigurationError.self) { try CasebookConfiguration.fromEnvironment(["CASEBOOK_BLOB_STORE": "database"]) }
        #expect(throws: ConfigurationError.self) { try CasebookConfiguration.fromEnvironment(["CASEBOOK_BLOB_STORE": "s3"]) }
        #expect(BlobStoreKind(named: "postgres") == .database && BlobStoreKind(named: "Directory") == .directory && BlobStoreKind(named: "s3") == nil)
    }

    @Test("a migration copies every file across, checked, resumes where it stopped, and names damaged files instead of copying them",
          arguments: TestDatabase.all)
    func migration(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let folder = Self.directoryStore(app)
            let table = DatabaseBlobStore(store: app.casebook.store)
            let files = (0..<7).map { Self.bytes(1000 + $0 * 700_000, seed: UInt8($0)) }
            var digests: [String] = []
            for file in files { digests.append(try await folder.put(file)) }
            _ = try await table.put(files[2])
            let damaged = try await folder.put(Data("soon damaged".utf8))
            try Data("damaged".utf8).write(to: URL(fileURLWithPath: DirectoryBlobStore.path(for: damaged, root: folder.root)))

            let first = try await BlobMigration.copy(from: folder, to: table, pageSize: 3) { _, _ in }
            #expect(first.copied == 6 && first.alreadyThere == 1 && first.damaged == [damaged], "\(first)")
            for (digest, file) in zip(digests, files) { #expect(try await table.get(digest) == file) }
            let again = try await BlobMigration.copy(from: folder, to: table, pageSize: 3) { _, _ in }
            #expect(again.copied == 0 && again.alreadyThere == 7, "a second run copies nothing")

            let back = Self.directoryStore(app)
            try FileManager.default.removeItem(atPath: back.root)
            let returned = try await BlobMigration.copy(from: table, to: back) { _, _ in }
            #expect(returned.copied == 7 && returned.damaged.isEmpty)
            for (digest, file) in zip(digests, files) { #expect(try await back.get(digest) == file) }
        }
    }

    @Test("two instances on one PostgreSQL: an attachment and a large mail stored through one are read through the other",
          arguments: TestDatabase.all.filter { $0 == .postgres })
    func sharedAcrossInstances(database: TestDatabase) async throws {
        try await withCasebook(database) { first in
            #expect(first.casebook.blobs.kind == .database)
            let f = try await Fixture.make(first)
            let reference = try await f.openCase(first)
            try await withSecondInstance(of: first) { second in
                let content = Self.bytes(1_500_000, seed: 3)
                let sent = try await first.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer,
                                                json: ["text": "The log", "attachments": [["filename": "trace.bin", "data": content.base64EncodedString()]]])
                #expect(sent.status == .created, "\(sent.text.prefix(300))")
                let id = try #require((sent.json["attachments"] as? [[String: Any]])?.first?["id"] as? String)
                let download = try await second.call(.GET, "/api/v1/cases/\(reference)/attachments/\(id)", token: f.customer)
                #expect(download.status == .ok && download.body == content, "the other instance reads the file")

                let padding = String(repeating: "The scanner log line that repeats.\r\n", count: 40_000)
                let raw = Data(InboundEmailTests.mail(subject: "Large log by mail", messageID: "<large@acme.example>", body: padding).utf8)
                #expect(raw.count > ReceiveEmail.inlineLimit)
                let accepted = try await ReceiveEmail(services: first.casebook).accept(raw)
                #expect(await second.jobs.runDue() >= 1, "the other instance's job runner applies it")
                let outcome = try await InboundRepository.outcome(of: accepted.id, on: second.casebook.store.sql)
                #expect(outcome.status == "processed" && outcome.caseNumber != nil, "\(outcome)")
            }
        }
    }
}
