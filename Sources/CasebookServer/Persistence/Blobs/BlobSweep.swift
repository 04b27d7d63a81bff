import Foundation
import Vapor

/// Removes stored files that no row names: a reply refused after its files were kept, a write that failed after the
/// keep, a case erased while a copy of its file was being kept. A file is left alone for `grace` after it was last
/// kept, because files are kept just before the write that names them.
public enum BlobSweep {
    /// What a sweep found and did.
    public struct Outcome: Sendable, Equatable {
        /// Files in the store.
        public var looked = 0
        /// Files no row names.
        public var unnamed = 0
        /// Of those, the ones removed (the others were kept too recently, or this was a dry run).
        public var removed = 0
    }

    /// How long a file no row names stays after it was last kept.
    public static let grace: TimeInterval = 24 * 3_600

    /// `casebook storage sweep`: the app's store, with the usual grace.
    public static func run(_ app: Application, dryRun: Bool, progress: @escaping @Sendable (Int) -> Void) async throws -> Outcome {
        let services = app.casebook
        return try await sweep(services.blobs, store: services.store, keptBefore: Date().addingTimeInterval(-grace), dryRun: dryRun,
                               progress: progress)
    }

    /// Walks the store a page at a time and removes, from each page, the files no row names that were last kept before
    /// `cutoff`; a dry run only counts them.
    static func sweep(_ blobs: any BlobStore, store: Store, keptBefore cutoff: Date, dryRun: Bool = false, pageSize: Int = 500,
                      progress: @Sendable (Int) -> Void = { _ in }) async throws -> Outcome {
        var outcome = Outcome()
        var after: String?
        while true {
            let page = try await blobs.digests(after: after, limit: pageSize)
            guard let last = page.last else { break }
            outcome.looked += page.count
            let unnamed = try await store.reading { db in try await StoredFileRepository.unused(page, on: store.sql(db)) }
            outcome.unnamed += unnamed.count
            if !dryRun {
                for digest in unnamed where try await blobs.remove(digest, ifKeptBefore: cutoff) {
                    outcome.removed += 1
                }
            }
            progress(outcome.looked)
            after = last
        }
        return outcome
    }
}
