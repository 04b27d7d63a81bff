import Foundation
import Vapor

/// `casebook storage migrate`: copies every stored file from the other store into the one named, checking each against
/// its digest on the way. Files already there are skipped, so a run that stopped (or a second run after the switch)
/// picks up where it left off; nothing is removed from the old store.
public enum BlobMigration {
    /// What a run did.
    public struct Outcome: Sendable {
        public var copied = 0
        public var alreadyThere = 0
        public var bytes = 0
        /// Files whose bytes no longer match their digest in the old store: left behind, named for the admin.
        public var damaged: [String] = []
    }

    /// Why a migration cannot start.
    public enum Refusal: Error, CustomStringConvertible {
        /// Files go in the database only on PostgreSQL (see `CasebookConfiguration.blobStore`).
        case databaseNeedsPostgres

        /// Said to the admin at the terminal, in their locale's language.
        public var description: String { CommandText()("cli_storage_needs_postgres") }
    }

    /// Copies into `target` from the other store, reporting (files looked at, all files) as it goes.
    public static func run(_ app: Application, to target: BlobStoreKind,
                           progress: @escaping @Sendable (Int, Int?) -> Void) async throws -> Outcome {
        let services = app.casebook
        guard target == .directory || services.configuration.database.isPostgres else { throw Refusal.databaseNeedsPostgres }
        let source: BlobStoreKind = target == .directory ? .database : .directory
        return try await copy(from: BlobStores.make(source, configuration: services.configuration, store: services.store, io: services.blockingIO),
                              to: BlobStores.make(target, configuration: services.configuration, store: services.store, io: services.blockingIO),
                              progress: progress)
    }

    static func copy(from source: any BlobStore, to target: any BlobStore, pageSize: Int = 200,
                     progress: @Sendable (Int, Int?) -> Void) async throws -> Outcome {
        var outcome = Outcome()
        var after: String?
        var seen = 0
        while true {
            let page = try await source.digests(after: after, limit: pageSize)
            guard let last = page.last else { break }
            for digest in page {
                seen += 1
                if try await target.contains(digest) {
                    outcome.alreadyThere += 1
                } else {
                    do {
                        // Removed from the old store since it was listed (a retention run): nothing to carry.
                        guard let data = try await source.get(digest) else { continue }
                        _ = try await target.put(data)
                        outcome.copied += 1
                        outcome.bytes += data.count
                    } catch is BlobDamaged {
                        outcome.damaged.append(digest)
                    }
                }
                progress(seen, nil)
            }
            after = last
        }
        return outcome
    }
}
