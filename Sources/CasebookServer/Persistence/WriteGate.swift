import Fluent
import FluentSQLiteDriver
import Logging
import SQLKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Funnels writes into SQLite one transaction at a time, committing concurrent writes together.
///
/// SQLite allows a single writer, and two connections that both upgrade a read transaction to a
/// write one fail with SQLITE_BUSY at once. So writes queue here, and whoever finds the queue idle
/// drains it: up to `batchLimit` waiting writes share one transaction, and one commit (one fsync)
/// makes them all durable before any caller hears back (group commit). A write that fails sends
/// its batch back to be written one transaction each, so it fails alone. PostgreSQL needs none of this.
/// A write's body may therefore run twice (the first run rolled back): it must only write to the database.
/// With a `LogSync`, the commit leaves the log's fsync to it, and the batch is answered once that is done.
final class WriteGate: Sendable {
    typealias Body = @Sendable (any Database) async throws -> any Sendable

    private struct Job: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
        /// The event loop the writer waits on. NIO runs a resumed task on the thread that resumed it, so answering
        /// from the drain's loop would move every writer's request there for good: both cores' requests would end
        /// up on one loop, and the other core would sit idle.
        let home: (any EventLoop)?
        /// Where the write was asked for (file and line), named when its transaction held the writer too long.
        let origin: String
        let queuedAt = ContinuousClock.now

        func answer(_ result: Result<any Sendable, any Error>) {
            guard let home, !home.inEventLoop else { return continuation.resume(with: result) }
            home.execute { continuation.resume(with: result) }
        }
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
        var started = 0
        /// How many of the started writes have ended (committed or rolled back).
        var settled = 0
    }

    let isEnabled: Bool
    let batchLimit = 64
    private let metrics: WriteGateMetrics?
    /// Told of every transaction that held the writer longer than `slowHold`, with where its writes came from: the
    /// figures on `/metrics` say that writes waited, this says for whom.
    private let logger: Logger?
    let slowHold = Duration.milliseconds(100)
    /// Syncs SQLite's log after commits, off the writer (nil: SQLite syncs in COMMIT, or not at all when so configured).
    let logSync: LogSync?
    /// Statements kept prepared on the SQLite connections SQL runs inline on.
    let statements = SQLiteStatementCache()
    private let state = NIOLockedValueBox(State())

    /// Runs every body once and rolls it back before running it for real: the contract check behind the rule that a
    /// body may run twice (see `rehearse`).
    let rehearses: Bool

    init(isEnabled: Bool, metrics: WriteGateMetrics? = nil, logger: Logger? = nil, logSync: LogSync? = nil, rehearses: Bool = false) {
        self.isEnabled = isEnabled
        self.metrics = metrics
        self.logger = logger
        self.logSync = logSync
        self.rehearses = rehearses
    }

    /// Where the writes stood at one moment: how many had begun (a write run again after its batch failed counts
    /// twice), and whether every one of them had ended.
    struct Mark: Sendable {
        let started: Int
        let settled: Bool
    }

    /// Taken before reading outside a write, to learn later whether what was read may have changed (`onlyOwnWrites`).
    var mark: Mark { state.withLockedValue { Mark(started: $0.started, settled: $0.settled == $0.started) } }

    /// True when nothing read after `mark` can have changed but through the caller's `own` writes since: no other write
    /// began since, and none was open at the mark (its commit could have landed after the read began).
    func onlyOwnWrites(since mark: Mark, own: Int) -> Bool {
        mark.settled && state.withLockedValue { $0.started } - mark.started == own
    }

    private func starting() { state.withLockedValue { $0.started += 1 } }

    /// One transaction runs at a time, so when it ends every write begun has ended.
    private func settle() { state.withLockedValue { $0.settled = $0.started } }

    /// Runs `body` in a write transaction on `database` and returns once it is committed.
    func run<T: Sendable>(on database: any Database, origin: String = "", _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isEnabled else {
            return try await database.transaction { transaction in try await body(transaction) }
        }
        if let failure = logSync?.failure { throw failure }
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = Job(body: { try await body($0) }, continuation: continuation, home: MultiThreadedEventLoopGroup.currentEventLoop,
                          origin: origin)
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

    /// Takes the next batch off the queue, or ends the drain when the queue is empty.
    private func nextBatch() -> [Job]? {
        state.withLockedValue { state -> [Job]? in
            if state.queue.isEmpty {
                state.draining = false
                return nil
            }
            let batch = Array(state.queue.prefix(batchLimit))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    /// Writes batches until the queue is empty, on the writer's connection, leased once for the whole drain.
    ///
    /// On SQLite the drain runs on a thread of its own (`EventLoopExecutor.bulkWrites`), BEGIN to COMMIT and fsync
    /// included, so a write never waits behind an event loop's requests and a loop never waits for an fsync; leasing
    /// the connection per batch cost four thread hops a batch, two of them through a busy loop.
    private func drain(_ database: any Database) async {
        do {
            try await database.withConnection { connection in
                let inline = await InlineSQLite.attach(to: connection, statements: self.statements)
                // Only a connection that writes a log file hands its sync over; any other keeps syncing in COMMIT.
                let logPath = self.logSync == nil ? nil : inline?.deferLogSync()
                await withTaskExecutorPreference(inline == nil ? nil : EventLoopExecutor.bulkWrites) {
                    while let batch = self.nextBatch() { await self.commit(batch, on: connection, inline: inline, logPath: logPath) }
                }
                if logPath != nil { inline?.resumeLogSync() }
            }
        } catch {
            // The connection could not be had (the app is stopping): every waiting write hears so.
            while let batch = nextBatch() { for job in batch { job.answer(.failure(error)) } }
        }
    }

    /// Answers committed writes: at once, or once their commit is on disk when the log's sync is deferred.
    private func answer(_ committed: [(job: Job, value: any Sendable)], logPath: String?) {
        guard let logPath, let logSync else {
            for (job, value) in committed { job.answer(.success(value)) }
            return
        }
        let committedAt = ContinuousClock.now
        logSync.afterCommit(logPath: logPath) { [metrics] synced in
            metrics?.sync.record(ContinuousClock.now - committedAt)
            for (job, value) in committed { job.answer(synced.map { value }) }
        }
    }

    private func commit(_ batch: [Job], on connection: any Database, inline: InlineSQLite?, logPath: String?) async {
        if let metrics {
            let now = ContinuousClock.now
            metrics.batchSize.record(Double(batch.count))
            for job in batch { metrics.queueWait.record(now - job.queuedAt) }
        }
        if let failure = logSync?.failure {
            for job in batch { job.answer(.failure(failure)) }
            return
        }
        if rehearses { for job in batch { await rehearse(job, on: connection, inline: inline) } }
        if batch.count == 1, let job = batch.first {
            await commitAlone(job, on: connection, inline: inline, logPath: logPath)
            return
        }
        // Writes reaching the gate have been checked already, so they almost never fail: run the batch as one
        // transaction without a savepoint per write, and only if something fails, roll it all back and give each
        // write a transaction of its own, so one failure never takes the others with it.
        let results: [any Sendable]
        do {
            results = try await transaction(on: connection, inline: inline, origins: batch.map(\.origin)) { transaction in
                var values: [any Sendable] = []
                for job in batch {
                    self.starting()
                    values.append(try await job.body(transaction))
                }
                return values
            }
        } catch {
            for job in batch { await commitAlone(job, on: connection, inline: inline, logPath: logPath) }
            return
        }
        answer(zip(batch, results).map { (job: $0, value: $1) }, logPath: logPath)
    }

    private struct Rehearsal: Error {}

    /// Runs a write's body in a transaction that is always rolled back, as a failed batch's would be. A body that keeps
    /// anything outside the database (a counter, a cache, a message sent) then shows it twice, and the suite, run with
    /// rehearsals (`CASEBOOK_TEST_REHEARSE_WRITES=1`), fails; `@Sendable` already keeps bodies from mutating captured
    /// variables, so what is left to catch is state held by reference.
    private func rehearse(_ job: Job, on connection: any Database, inline: InlineSQLite?) async {
        _ = try? await transaction(on: connection, inline: inline, origins: [job.origin]) { transaction -> Int in
            _ = try await job.body(transaction)
            throw Rehearsal()
        }
    }

    /// A write transaction run entirely inline on the leased connection (see `InlineSQLite`), commit included, for
    /// everything that asks `Store.sql(_:)` for it; without the raw handle, Fluent's usual transaction.
    ///
    /// The commit runs on the calling thread (with its fsync, unless `LogSync` does that). Sending BEGIN and COMMIT
    /// through SQLiteNIO's thread pool instead cost two thread hops each, and the commit's reply then queued behind
    /// whatever that event loop was doing: measured, the commit held the single writer for 2 ms a batch, against
    /// 0.3 ms for the fsync itself.
    private func transaction<T: Sendable>(on connection: any Database, inline: InlineSQLite?, origins: [String],
                                          _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let began = ContinuousClock.now
        defer {
            settle()
            let held = ContinuousClock.now - began
            metrics?.held.record(held)
            if held > slowHold { noteSlowHold(held, origins: origins) }
        }
        guard let inline else { return try await connection.transaction { transaction in try await body(transaction) } }
        // IMMEDIATE takes the write lock now, so a write never fails half way for want of it.
        try inline.execute("BEGIN IMMEDIATE")
        do {
            let value = try await Store.$inlineConnection.withValue(inline) { try await body(connection) }
            try inline.execute("COMMIT")
            return value
        } catch {
            // After a failed COMMIT the transaction may still be open; either way nothing of it survives.
            try? inline.execute("ROLLBACK")
            throw error
        }
    }

    /// Logs a transaction that kept every other write waiting, naming its writes' origins, most frequent first.
    private func noteSlowHold(_ held: Duration, origins: [String]) {
        let counts = Dictionary(origins.map { ($0, 1) }, uniquingKeysWith: +)
        let named = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { $0.value == 1 ? $0.key : "\($0.key) ×\($0.value)" }
        logger?.info("slow write transaction", metadata: [
            "ms": "\(held.wholeMilliseconds)",
            "writes": "\(origins.count)", "from": "\(named.joined(separator: ", "))",
        ])
    }

    private func commitAlone(_ job: Job, on connection: any Database, inline: InlineSQLite?, logPath: String?) async {
        do {
            let value = try await transaction(on: connection, inline: inline, origins: [job.origin]) { transaction in
                self.starting()
                return try await job.body(transaction)
            }
            answer([(job: job, value: value)], logPath: logPath)
        } catch {
            job.answer(.failure(error))
        }
    }
}

/// A write returned a value of another type than the caller expected (a programming error).
enum WriteGateError: Error {
    case unexpectedResult
}
