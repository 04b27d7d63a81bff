import Foundation
import SQLKit

/// Which stored files the rows still name: attachments, call recordings, inbound mail too large to live in its row,
/// and the files of replies held for review. Export carries these, erasure and the sweep remove only the others.
enum StoredFileRepository {
    private static let columns = [("attachments", "sha256"), ("calls", "recording_sha256"), ("inbound_messages", "sha256")]

    /// Every stored file the rows name, each once, in order.
    static func named(on sql: any SQLDatabase) async throws -> [String] {
        var named = Set(try await sql.select().distinct().column("sha256").from("attachments").all()
            .map { try $0.decode(column: "sha256", as: String.self) })
        named.formUnion(try await sql.select().distinct().column("recording_sha256").from("calls")
            .where("recording_sha256", .isNot, SQLLiteral.null).all()
            .map { try $0.decode(column: "recording_sha256", as: String.self) })
        // A mail kept in its row names its digest only as a receipt; erased mail names a "forgotten:" one.
        named.formUnion(try await sql.select().distinct().column("sha256").from("inbound_messages").where("raw", .is, SQLLiteral.null).all()
            .map { try $0.decode(column: "sha256", as: String.self) }.filter(BlobDigest.isValid))
        named.formUnion(try await ReplyReviewRepository.allFileDigests(on: sql))
        return named.sorted()
    }

    /// Of these digests, the ones no row names any more: safe to remove from the file store.
    static func unused(_ digests: [String], on sql: any SQLDatabase) async throws -> [String] {
        let unique = Array(Set(digests))
        guard !unique.isEmpty else { return [] }
        var used: Set<String> = []
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start ..< min(start + 500, unique.count)])
            for (table, column) in columns {
                for row in try await sql.select().distinct().column(column).from(table).where(SQLColumn(column), .in, SQLBind.group(chunk)).all() {
                    if let digest = try row.decode(column: column, as: String?.self) { used.insert(digest) }
                }
            }
        }
        used.formUnion(try await ReplyReviewRepository.digestsInUse(Set(unique).subtracting(used), on: sql))
        return unique.filter { !used.contains($0) }.sorted()
    }
}
