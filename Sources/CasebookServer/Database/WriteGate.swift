import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// Funnels writes into SQLite one transaction at a time, committing concurrent writes together.
///
/// SQLite allows a single writer, and two connections that both upgrade a read transaction to a
/// write one fail with SQLITE_BUSY at once. So writes queue here, and whoever finds the queue idle
/// drains it: up to `batchLimit` waiting writes share one transaction, each inside its own
/// savepoint so a failing write rolls back alone, and one commit (one fsync) makes them all
/// durable before any caller hears back (group commit). PostgreSQL needs none of this.
final class WriteGate: Sendable {
    typealias Body = @Sendable (any Database) async throws -> any Sendable

    private struct Job: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
    }

    let isEnabled: Bool
    let batchLimit = 64
    private let state = NIOLockedValueBox(State())

    init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Runs `body` in a write transaction on `database` and returns once it is committed.
    func run<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isEnabled else {
            return try await database.transaction { transaction in try await body(transaction) }
        }
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = Job(body: { try await body($0) }, continuation: continuation)
            let leads = state.withLockedValue { state -> Bool in
                state.queue.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            // The drain ends when the queue is empty; every job in it has been answered by then.
            if leads { Task { await self.drain(database) } }
        }
        guard let typed = value as? T else { throw WriteGateError.unexpectedResult }
        return typed
    }

    private func drain(_ database: any Database) async {
        while true {
            let batch = state.withLockedValue { state -> [Job] in
                if state.queue.isEmpty {
                    state.draining = false
                    return []
                }
                let batch = Array(state.queue.prefix(batchLimit))
                state.queue.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch, on: database)
        }
    }

    private func commit(_ batch: [Job], on database: any Database) async {
        var results: [Result<any Sendable, any Error>] = []
        if batch.count == 1, let job = batch.first {
            // Alone in the batch: the transaction itself is the rollback unit, no savepoint needed.
            do {
                let value = try await database.transaction { transaction in try await job.body(transaction) }
                job.continuation.resume(returning: value)
            } catch {
                job.continuation.resume(throwing: error)
            }
            return
        }
        do {
            results = try await database.transaction { transaction in
                let sql = transaction as! any SQLDatabase
                var outcomes: [Result<any Sendable, any Error>] = []
                for job in batch {
                    try await sql.raw("SAVEPOINT casebook_write").run()
                    do {
                        let value = try await job.body(transaction)
                        try await sql.raw("RELEASE casebook_write").run()
                        outcomes.append(.success(value))
                    } catch {
                        try await sql.raw("ROLLBACK TO casebook_write").run()
                        try await sql.raw("RELEASE casebook_write").run()
                        outcomes.append(.failure(error))
                    }
                }
                return outcomes
            }
        } catch {
            // The commit itself failed: nothing in the batch was stored.
            results = batch.map { _ in .failure(error) }
        }
        for (job, result) in zip(batch, results) {
            job.continuation.resume(with: result)
        }
    }
}

/// A write returned a value of another type than the caller expected (a programming error).
enum WriteGateError: Error {
    case unexpectedResult
}
