import CasebookCore
import Foundation
import SQLKit

/// Puts work on the durable queue, inside the caller's transaction.
///
/// Enqueueing in the same transaction as the thing it is about (an accepted email, a case
/// change) means the job exists exactly when that thing does: no lost work, no orphan jobs.
enum JobQueue {
    static let defaultSchedule = RetrySchedule()

    /// Adds a job; with a `dedupeKey` already on the queue, adds nothing and returns nil.
    @discardableResult
    static func enqueue<Payload: Encodable>(_ kind: JobKind, _ payload: Payload, dedupeKey: String? = nil, runAt: Date,
                                            maxAttempts: Int = defaultSchedule.maxAttempts, on sql: any SQLDatabase) async throws -> UUID? {
        let body = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        return try await JobRepository.insert(kind: kind, payload: body, dedupeKey: dedupeKey, maxAttempts: maxAttempts, runAt: runAt, on: sql)
    }

    /// Queues the job named `dedupeKey` to run now: a finished or dead one again with fresh attempts,
    /// a missing one anew; a running one is left to finish. Returns its id unless it is running.
    @discardableResult
    static func enqueueOrRequeue<Payload: Encodable>(_ kind: JobKind, _ payload: Payload, dedupeKey: String, at now: Date,
                                                     on sql: any SQLDatabase) async throws -> UUID? {
        if let job = try await requeue(dedupeKey: dedupeKey, at: now, on: sql) { return job }
        return try await enqueue(kind, payload, dedupeKey: dedupeKey, runAt: now, on: sql)
    }

    /// Puts a finished or dead job back on the queue with a fresh set of attempts (an admin's "retry").
    static func requeue(dedupeKey: String, at now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        try await JobRepository.requeue(dedupeKey: dedupeKey, at: now, on: sql)
    }
}

/// Where a job is in its life.
enum JobStatus: String, Sendable, CaseIterable, Codable {
    case queued, running, done, dead
}
