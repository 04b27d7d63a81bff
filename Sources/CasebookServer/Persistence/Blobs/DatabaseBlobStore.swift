import Foundation
import SQLKit

/// Files in the database, as Request Tracker and Zammad keep attachments: every instance on one PostgreSQL reads what
/// any of them stored. A file is cut into chunks of a mebibyte, so no single value is huge, and its `blobs` row is
/// written last in the same transaction: a file is either whole or absent.
struct DatabaseBlobStore: BlobStore {
    let store: Store
    static let chunkSize = 1 << 20

    var kind: BlobStoreKind { .database }

    func put(_ data: Data) async throws -> String {
        let digest = BlobDigest.of(data)
        let store = self.store
        if try await contains(digest) {
            // Kept again: the sweep leaves a file alone for a day after its last keep (`created_at` is that time).
            try await store.write { db in
                try await store.sql(db).update("blobs").set("created_at", to: SQLBind(Date())).where("sha256", .equal, digest).run()
            }
            if try await contains(digest) { return digest }
        }
        try await store.write { db in
            let sql = store.sql(db)
            var offset = data.startIndex, sequence = 0
            while offset < data.endIndex {
                let end = min(offset + Self.chunkSize, data.endIndex)
                // Another instance may store the same file at the same moment: the first one's chunks stand.
                try await sql.insert(into: "blob_chunks").columns("sha256", "seq", "data")
                    .values(SQLBind(digest), SQLBind(sequence), SQLBind(Data(data[offset..<end])))
                    .ignoringConflicts(with: ["sha256", "seq"]).run()
                offset = end
                sequence += 1
            }
            try await sql.insert(into: "blobs").columns("sha256", "size", "chunks", "created_at")
                .values(SQLBind(digest), SQLBind(data.count), SQLBind(sequence), SQLBind(Date()))
                .ignoringConflicts(with: ["sha256"]).run()
        }
        return digest
    }

    func get(_ digest: String) async throws -> Data? {
        guard BlobDigest.isValid(digest) else { return nil }
        let sql = store.sql
        guard let row = try await sql.select().columns("size", "chunks").from("blobs").where("sha256", .equal, digest).first() else {
            return nil
        }
        let size = try row.decode(column: "size", as: Int.self)
        let chunks = try row.decode(column: "chunks", as: Int.self)
        // One chunk at a time, so the file is held once (and one chunk beside it), never as a list of rows as well.
        var data = Data(capacity: size)
        for sequence in 0..<chunks {
            guard let chunk = try await sql.select().column("data").from("blob_chunks")
                .where("sha256", .equal, digest).where("seq", .equal, sequence).first() else { throw BlobDamaged(digest: digest) }
            data.append(try chunk.decode(column: "data", as: Data.self))
        }
        guard data.count == size, BlobDigest.of(data) == digest else { throw BlobDamaged(digest: digest) }
        return data
    }

    func contains(_ digest: String) async throws -> Bool {
        guard BlobDigest.isValid(digest) else { return false }
        return try await store.sql.select().column("sha256").from("blobs").where("sha256", .equal, digest).first() != nil
    }

    func remove(_ digest: String) async throws {
        guard BlobDigest.isValid(digest) else { return }
        let store = self.store
        try await store.write { db in
            let sql = store.sql(db)
            try await sql.delete(from: "blobs").where("sha256", .equal, digest).run()
            try await sql.delete(from: "blob_chunks").where("sha256", .equal, digest).run()
        }
    }

    func remove(_ digest: String, ifKeptBefore cutoff: Date) async throws -> Bool {
        guard BlobDigest.isValid(digest) else { return false }
        let store = self.store
        return try await store.write { db in
            let sql = store.sql(db)
            // One statement decides: on PostgreSQL a keep that touched the row meanwhile holds it, and the delete then
            // sees the new time and leaves it.
            let gone = try await sql.delete(from: "blobs").where("sha256", .equal, digest).where("created_at", .lessThan, SQLBind(cutoff))
                .returning("sha256").all()
            guard !gone.isEmpty else { return false }
            try await sql.delete(from: "blob_chunks").where("sha256", .equal, digest).run()
            return true
        }
    }

    func digests(after: String?, limit: Int) async throws -> [String] {
        try await store.sql.select().column("sha256").from("blobs").where("sha256", .greaterThan, after ?? "")
            .orderBy("sha256").limit(limit).all().map { try $0.decode(column: "sha256", as: String.self) }
    }
}
