import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Moves queued search entries into SQLite's full-text index in batches: in the background every half second, and
/// before any full-text search, so a search always finds what was written before it began.
///
/// Indexing in the case's own transaction cost a new FTS5 segment per case, and at 100,000 cases that took the
/// single writer ~6 ms a case (creation fell to ~70 cases/s); a batch of hundreds costs about the same as one entry.
final class SearchIndexer: LifecycleHandler {
    static let interval: Duration = .milliseconds(500)
    static let batchLimit = 2_000
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        guard DatabaseSetup.isSQLite(application) else { return }
        let store = application.casebook.store
        let logger = application.logger
        task.withLockedValue { running in
            running = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.interval)
                    do {
                        try await Self.catchUp(store)
                    } catch {
                        logger.warning("search indexing failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLockedValue { running in
            defer { running = nil }
            return running
        }
        running?.cancel()
        await running?.value
    }

    /// Indexes every entry committed before this call (nothing to do on PostgreSQL, which indexes as it writes).
    /// Must not be called inside a write: it writes through the gate itself.
    static func catchUp(_ store: Store) async throws {
        guard store.gate.isEnabled, try await SQLiteSearchIndex.hasPending(on: store.sql) else { return }
        while try await store.write({ db in try await SQLiteSearchIndex.movePending(limit: batchLimit, on: store.sql(db)) }) == batchLimit {}
    }
}
