import Foundation

/// Moves queued search entries into SQLite's full-text index in batches, new cases' terms for `SimilarCases` with them:
/// in the background every half second, and before any full-text search, similar-cases lookup or export, so each
/// finds what was written before it began.
///
/// Indexing in the case's own transaction cost a new FTS5 segment per case, and at 100,000 cases that took the
/// single writer ~6 ms a case (creation fell to ~70 cases/s); a batch of hundreds costs about the same as one entry.
enum SearchIndexer {
    static let batchLimit = 2_000

    /// The background half of the work, for the application's lifecycle: entries moved in, then segments merged.
    static func chore() -> SQLiteChore {
        SQLiteChore("search indexing", every: .milliseconds(500)) { store in
            try await catchUp(store)
            try await merge(store)
        }
    }

    /// Pages one merge step may write: about 10 ms of the writer's time at a million cases.
    static let mergePages = 64
    /// Steps per run at most, enough to keep up with what hundreds of new cases a second add.
    static let mergeSteps = 32

    /// Merges the index's segments in short steps, each a write of its own, so writes queued meanwhile go in between.
    /// Only the background run merges: a search catching up must not wait for it.
    @Sendable static func merge(_ store: Store) async throws {
        guard store.gate.isEnabled else { return }
        for _ in 0..<mergeSteps {
            let merged = try await store.write { db in try await SQLiteSearchIndex.mergeStep(pages: mergePages, on: store.sql(db)) }
            if !merged { return }
        }
    }

    /// Indexes every entry committed before this call (nothing to do on PostgreSQL, which indexes as it writes).
    /// Must not be called inside a write: it writes through the gate itself.
    @Sendable static func catchUp(_ store: Store) async throws {
        guard store.gate.isEnabled, try await SQLiteSearchIndex.hasPending(on: store.sql) else { return }
        var moved = 0, last = 0
        repeat {
            last = try await store.write { db in try await SQLiteSearchIndex.movePending(limit: batchLimit, on: store.sql(db)) }
            moved += last
        } while last == batchLimit
        if moved >= trimAfter { HeapTrim.release() }
    }

    /// How many entries moved at once make a burst worth trimming the heap after (a bulk load, not a desk's day).
    static let trimAfter = 500
}
