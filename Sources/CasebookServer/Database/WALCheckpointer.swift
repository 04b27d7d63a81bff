import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Copies SQLite's write-ahead log back into the database file every second, away from the writer.
///
/// Left to SQLite, the commit that pushes the log past its limit does the copying (and two fsyncs) itself, while
/// holding the single writer and every write queued behind it: about a twentieth of case creation's time. Here a
/// passive checkpoint runs on a reader's connection through SQLiteNIO's thread pool, never waiting for a writer or
/// making one wait. The writer's own limit is raised (`DatabaseSetup.walSafetyPages`) but kept, in case this stops.
final class WALCheckpointer: LifecycleHandler {
    static let interval: Duration = .seconds(1)
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
                        _ = try await Self.checkpoint(store)
                    } catch {
                        logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
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

    /// One passive checkpoint: how many frames the log holds and how many of them are now in the database file.
    static func checkpoint(_ store: Store) async throws -> (logFrames: Int, checkpointed: Int)? {
        try await store.database.withConnection { db in
            let sql = store.sql(db)
            // A connection that has not read the file yet has no log open, and reports -1 instead of checkpointing.
            _ = try await sql.raw("SELECT count(*) AS n FROM sqlite_master").first()
            guard let row = try await sql.raw("PRAGMA wal_checkpoint(PASSIVE)").first() else { return nil }
            return (try row.decode(column: "log", as: Int.self), try row.decode(column: "checkpointed", as: Int.self))
        }
    }
}
