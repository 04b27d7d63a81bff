import Foundation
import SQLKit

/// The counts `/metrics` reports from the database.
enum OperationalGaugeRepository {
    static func jobsByStatus(on sql: any SQLDatabase) async throws -> [String: Int] {
        var jobs: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() {
            jobs[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return jobs
    }

    /// Queued jobs whose time has come.
    static func jobsDue(at now: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE status = \(bind: JobStatus.queued.rawValue) AND run_at <= \(bind: now)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Search entries waiting for SQLite's full-text index.
    static func searchPending(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM case_search_pending").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
