import Foundation
import SQLKit
import Vapor

/// Copies SQLite's write-ahead log back into the database file every second, away from the writer.
///
/// Left to SQLite, the commit that pushes the log past its limit does the copying (and two fsyncs) itself, while
/// holding the single writer and every write queued behind it: about a twentieth of case creation's time. Here a
/// passive checkpoint runs on a reader's connection through SQLiteNIO's thread pool, never waiting for a writer or
/// making one wait. The writer's own limit is raised (`DatabaseSetup.walSafetyPages`) but kept, in case this stops.
enum WALCheckpointer {
    /// The checkpoint every second, for the application's lifecycle.
    static func chore() -> SQLiteChore { SQLiteChore("WAL checkpoint", every: .seconds(1)) { _ = try await checkpoint($0) } }

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
