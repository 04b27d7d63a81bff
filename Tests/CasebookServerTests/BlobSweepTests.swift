@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Stored files no record names: never kept through a refused reply, swept a day after their last keep")
struct BlobSweepTests {
    @Test("the sweep removes files no row names once they are old enough, and leaves attachments and a held reply's files",
          arguments: TestDatabase.all)
    func sweep(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let (reference, _) = try await ReplyReviewTests.setUp(app, f)
            let noteFile = Data("router log, 02:14".utf8), draftFile = Data("plano de la planta 2".utf8)
            let note = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: [
                "text": "Log from the router.", "visibility": "internal",
                "attachments": [["filename": "router.log", "data": noteFile.base64EncodedString()]]])
            #expect(note.status == .created, "\(note.text)")
            let held = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: [
                "text": ReplyReviewTests.spanish, "attachments": [["filename": "plano.txt", "data": draftFile.base64EncodedString()]]])
            #expect(held.status == .accepted, "the reply waits for review, its file named only by the draft: \(held.text)")
            let blobs = app.casebook.blobs, store = app.casebook.store
            let orphans = [try await blobs.put(Data("a refused reply's file".utf8)), try await blobs.put(Data("a failed write's file".utf8))]
            let named = [BlobDigest.of(noteFile), BlobDigest.of(draftFile)]
            #expect(try await StoredFileRepository.named(on: store.sql) == named.sorted(), "an export carries the held reply's file too")

            let recent = try await BlobSweep.sweep(blobs, store: store, keptBefore: Date().addingTimeInterval(-3_600), pageSize: 1)
            #expect(recent == BlobSweep.Outcome(looked: 4, unnamed: 2, removed: 0), "files kept in the last hour stay")
            let dry = try await BlobSweep.sweep(blobs, store: store, keptBefore: Date().addingTimeInterval(60), dryRun: true)
            #expect(dry == BlobSweep.Outcome(looked: 4, unnamed: 2, removed: 0))
            for digest in orphans { #expect(try await blobs.contains(digest), "a dry run removes nothing") }

            let swept = try await BlobSweep.sweep(blobs, store: store, keptBefore: Date().addingTimeInterval(60), pageSize: 3)
            #expect(swept == BlobSweep.Outcome(looked: 4, unnamed: 2, removed: 2))
            for digest in orphans { #expect(try await !blobs.contains(digest)) }
            for digest in named { #expect(try await blobs.get(digest) != nil, "a named file is never swept") }
            #expect(try await BlobSweep.sweep(blobs, store: store, keptBefore: Date().addingTimeInterval(60)) == BlobSweep.Outcome(looked: 2))
        }
    }

    @Test("a reply's file is not kept when the sender may not see the case, may not write on it, or the case is closed",
          arguments: TestDatabase.all)
    func refusedRepliesKeepNothing(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            func reply(_ token: String, _ text: String, visibility: String = "public") async throws -> (HTTPStatus, String) {
                let bytes = Data(text.utf8)
                let answer = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: token, json: [
                    "text": "See the file.", "visibility": visibility, "attachments": [["filename": "a.bin", "data": bytes.base64EncodedString()]]])
                #expect(answer.isProblem, "\(answer.text)")
                return (answer.status, BlobDigest.of(bytes))
            }
            let unseen = try await reply(f.outsider, "bytes through a case I cannot see")
            #expect(unseen.0 == .notFound)
            let note = try await reply(f.customer, "a customer's internal note", visibility: "internal")
            #expect(note.0 == .forbidden)
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "status": "solved"])
            _ = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 2, "status": "closed"])
            let closed = try await reply(f.customer, "one more file after closing")
            #expect(closed.0 == .conflict)
            let missing = try await app.call(.POST, "/api/v1/cases/CB-99999/messages", token: f.agent, json: [
                "text": "x", "attachments": [["filename": "a.bin", "data": Data("to no case".utf8).base64EncodedString()]]])
            #expect(missing.status == .notFound && missing.isProblem)
            for digest in [unseen.1, note.1, closed.1, BlobDigest.of(Data("to no case".utf8))] {
                #expect(try await !app.casebook.blobs.contains(digest), "a refused reply stores no file")
            }
            #expect(try await app.casebook.blobs.digests(after: nil, limit: 10).isEmpty)

            // The desk's reply form refuses the same way before keeping its file.
            let outsider = try await BrowserSession.signIn(app, email: "olga@globex.example")
            let page = try await outsider.postFile(app, "/portal/cases/\(reference)/messages", ["text": "hello"],
                                                   file: ("file", "a.txt", Data("through the portal form".utf8)))
            #expect(page.status == .notFound, "\(page.status)")
            #expect(try await app.casebook.blobs.digests(after: nil, limit: 10).isEmpty)
        }
    }
}
