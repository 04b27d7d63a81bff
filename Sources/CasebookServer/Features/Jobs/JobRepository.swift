import CasebookCore
import Foundation
import SQLKit

/// The durable job queue's table: adding, claiming under a lease, finishing, failing and retrying jobs.
enum JobRepository {
    /// One job as admins see it.
    /// One job as stored, and as the API shows it.
    struct Row: Codable, Sendable {
        let id: UUID
        let kind: String
        let payload: String
        let status: String
        let attempts: Int
        let maxAttempts: Int
        let runAt: Date
        let lastError: String?
        let createdAt: Date
        let finishedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, kind, payload, status, attempts
            case maxAttempts = "max_attempts", runAt = "run_at", lastError = "last_error", createdAt = "created_at", finishedAt = "finished_at"
        }
    }

    /// Adds a queued job; with a `dedupeKey` already on the queue, adds nothing and returns nil.
    static func insert(kind: JobKind, payload: String, dedupeKey: String?, maxAttempts: Int, runAt: Date, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.insert(into: "jobs")
            .columns("id", "kind", "payload", "dedupe_key", "status", "attempts", "max_attempts", "run_at", "created_at")
            .values(SQLBind(RecordID.make()), SQLBind(kind.rawValue), SQLBind(payload), SQLBind(dedupeKey), SQLBind(JobStatus.queued.rawValue),
                    SQLBind(0), SQLBind(maxAttempts), SQLBind(runAt), SQLBind(runAt))
            .ignoringConflicts(with: ["dedupe_key"])
            .returning("id")
            .all().first?.decode(column: "id", as: UUID.self)
    }

    /// Queues the job with this key again with fresh attempts, unless it is running; returns its id.
    static func requeue(dedupeKey: String, at now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.update("jobs")
            .set("status", to: JobStatus.queued.rawValue).set("attempts", to: 0).set("run_at", to: now)
            .set("last_error", to: SQLLiteral.null).set("finished_at", to: SQLLiteral.null)
            .where("dedupe_key", .equal, dedupeKey).where("status", .notEqual, JobStatus.running.rawValue)
            .returning("id").all().first?.decode(column: "id", as: UUID.self)
    }

    /// Queues a dead or queued job again with fresh attempts, to run now (an admin's retry).
    static func retry(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("jobs").set("status", to: JobStatus.queued.rawValue).set("attempts", to: 0)
            .set("run_at", to: now).set("finished_at", to: SQLLiteral.null)
            .where("id", .equal, id).where("status", .in, [JobStatus.dead.rawValue, JobStatus.queued.rawValue]).run()
    }

    /// Whether a job is due, or running on a lease that ran out.
    static func anythingDue(at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS due FROM jobs WHERE (status = 'queued' AND run_at <= \(bind: now))
            OR (status = 'running' AND locked_until < \(bind: now)) LIMIT 1
            """).first() != nil
    }

    /// Marks up to `limit` due jobs (or only job `id`, if queued) running for `worker` until `leaseEnds`, and returns them.
    static func claim(only id: UUID?, limit: Int, worker: String, at now: Date, leaseEnds: Date, on sql: any SQLDatabase) async throws -> [ClaimedJob] {
        // PostgreSQL runners on several machines skip each other's rows; SQLite's single writer needs no row locks.
        let locking: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""
        let filter: SQLQueryString = id.map { "id = \(bind: $0) AND status = 'queued'" }
            ?? "(status = 'queued' AND run_at <= \(bind: now)) OR (status = 'running' AND locked_until < \(bind: now))"
        return try await sql.raw("""
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = \(bind: leaseEnds), locked_by = \(bind: worker)
            WHERE id IN (SELECT id FROM jobs WHERE \(filter) ORDER BY run_at LIMIT \(bind: limit) \(locking))
            RETURNING id, kind, payload, attempts, max_attempts
            """).all().map { row in
                ClaimedJob(id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
                           payload: try row.decode(column: "payload", as: String.self), attempt: try row.decode(column: "attempts", as: Int.self),
                           maxAttempts: try row.decode(column: "max_attempts", as: Int.self))
            }
    }

    /// Marks a job this worker holds done.
    static func markDone(_ id: UUID, worker: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("jobs").set("status", to: JobStatus.done.rawValue)
            .set("finished_at", to: now).set("locked_until", to: SQLLiteral.null).set("last_error", to: SQLLiteral.null)
            .where("id", .equal, id).where("locked_by", .equal, worker).run()
    }

    /// Records a failed attempt of a job this worker holds: queued again at `retryAt`, or dead when nil.
    static func markFailed(_ id: UUID, worker: String, reason: String, retryAt: Date?, at now: Date, on sql: any SQLDatabase) async throws {
        var update = sql.update("jobs").set("last_error", to: reason).set("locked_until", to: SQLLiteral.null)
        if let retryAt {
            update = update.set("status", to: JobStatus.queued.rawValue).set("run_at", to: retryAt)
        } else {
            update = update.set("status", to: JobStatus.dead.rawValue).set("finished_at", to: now)
        }
        try await update.where("id", .equal, id).where("locked_by", .equal, worker).run()
    }

    /// Queues again at once every job `worker` still holds, taking back the attempt its claim counted; returns how many.
    static func release(worker: String, at now: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            UPDATE jobs SET status = 'queued', run_at = \(bind: now), locked_until = NULL,
            attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
            WHERE status = 'running' AND locked_by = \(bind: worker) RETURNING id
            """).all().count
    }

    /// Queues every job marked running again at once (their runner is known to be gone).
    static func requeueRunning(at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("jobs").set("status", to: JobStatus.queued.rawValue)
            .set("run_at", to: now).set("locked_until", to: SQLLiteral.null)
            .where("status", .equal, JobStatus.running.rawValue).run()
    }

    /// Forgets jobs that finished before a moment.
    static func purgeDone(before cutoff: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "jobs").where("status", .equal, JobStatus.done.rawValue).where("finished_at", .lessThan, cutoff).run()
    }

    static let columns = ["id", "kind", "payload", "status", "attempts", "max_attempts", "run_at", "last_error", "created_at", "finished_at"]

    /// The newest jobs, optionally of one status and one kind.
    static func list(status: JobStatus?, kind: JobKind?, limit: Int, on sql: any SQLDatabase) async throws -> [Row] {
        var select = sql.select().columns(columns.map { SQLIdentifier($0) }).from("jobs")
        if let status { select = select.where("status", .equal, status.rawValue) }
        if let kind { select = select.where("kind", .equal, kind.rawValue) }
        return try await select.orderBy("created_at", .descending).limit(limit).all().map(row)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> Row? {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("jobs").where("id", .equal, id).first().map(row)
    }

    private static func row(_ row: any SQLRow) throws -> Row {
        Row(id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self), status: try row.decode(column: "status", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self), maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            runAt: try row.decode(column: "run_at", as: Date.self), lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}
