import CasebookCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit

/// Runs the durable queue: claims due jobs, hands each to its handler, and records the outcome.
///
/// Delivery is at least once: a job is claimed with a lease, and a runner that dies mid-job (a
/// crash, a SIGKILL, a lost host) leaves the lease to expire, after which any runner claims it
/// again. Handlers are therefore idempotent. On PostgreSQL several app instances share the queue:
/// `FOR UPDATE SKIP LOCKED` lets each claim different rows without waiting on the others.
final class JobRunner: Sendable {
    /// Does one job's work; throwing schedules a retry (or the dead-letter list).
    typealias Handler = @Sendable (ClaimedJob, CasebookServices) async throws -> Void

    let services: CasebookServices
    let handlers: [JobKind: Handler]
    let schedule: RetrySchedule
    let lease: TimeInterval
    let pollInterval: Duration
    let batchSize = 16
    /// How many jobs run at once.
    let window = 64
    /// Identifies this process's claims, so a runner only finishes jobs it still holds.
    let worker = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    private let logger = Logger(label: "casebook.jobs")
    private let loop = NIOLockedValueBox(LoopState())

    private struct LoopState {
        var task: Task<Void, Never>?
        var sleeper: Task<Void, Never>?
        var nudged = false
        /// Set by `stop`: no more jobs are claimed.
        var stopping = false
        /// Set when the loop has returned.
        var ended = false
    }

    private var isStopping: Bool { loop.withLockedValue { $0.stopping } }

    init(services: CasebookServices, handlers: [JobKind: Handler], schedule: RetrySchedule = JobQueue.defaultSchedule,
         lease: TimeInterval = 120, pollInterval: Duration = .milliseconds(500)) {
        self.services = services
        self.handlers = handlers
        self.schedule = schedule
        self.lease = lease
        self.pollInterval = pollInterval
    }

    // MARK: Running due work

    /// Claims and runs every job due now; returns how many ran.
    ///
    /// Up to `window` jobs run at once, and a new batch is claimed as soon as there is room for one, not when the
    /// last batch has wholly finished, so one slow job (a mail relay or webhook that takes its time) does not hold
    /// back the fifteen claimed with it.
    @discardableResult
    func runDue() async -> Int {
        await withTaskGroup(of: Void.self) { group in
            var total = 0
            var running = 0
            var caughtUp = false
            while true {
                if !caughtUp, !isStopping, running + batchSize <= window {
                    let claimed = await claimDue()
                    caughtUp = claimed.isEmpty
                    for job in claimed {
                        // Each job on the next event loop in turn: a child task would otherwise stay on this task's loop
                        // (see `EventLoopExecutor`), and the jobs would take turns on one core.
                        group.addTask(executorPreference: EventLoopExecutor.lane(total)) { _ = await self.execute(job) }
                        total += 1
                        running += 1
                    }
                    continue
                }
                guard running > 0 else { return total }
                await group.next()
                running -= 1
                // Running low: look for work that arrived meanwhile.
                if running < batchSize { caughtUp = false }
            }
        }
    }

    /// The next batch of due jobs, claimed; empty when nothing is due or the claim failed (logged).
    private func claimDue() async -> [ClaimedJob] {
        do {
            guard try await anythingDue() else { return [] }
            return try await claim(limit: batchSize)
        } catch {
            logger.error("could not claim jobs", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Runs one queued job now, if it is still queued (for example right after the request that enqueued it).
    func runNow(_ id: UUID) async -> JobOutcome {
        let now = services.clock()
        let claimed: [ClaimedJob]
        do {
            claimed = try await services.store.write { db in
                try await self.claimStatement(self.services.store.sql(db), now: now, only: id, limit: 1)
            }
        } catch {
            return .failed(String(describing: error))
        }
        guard let job = claimed.first else { return .notClaimed }
        return await execute(job)
    }

    private func anythingDue() async throws -> Bool {
        let now = services.clock()
        return try await JobRepository.anythingDue(at: now, on: services.store.sql)
    }

    private func claim(limit: Int) async throws -> [ClaimedJob] {
        let now = services.clock()
        return try await services.store.write { db in
            try await self.claimStatement(self.services.store.sql(db), now: now, only: nil, limit: limit)
        }
    }

    private func claimStatement(_ sql: any SQLDatabase, now: Date, only id: UUID?, limit: Int) async throws -> [ClaimedJob] {
        try await JobRepository.claim(only: id, limit: limit, worker: worker, at: now, leaseEnds: now.addingTimeInterval(lease), on: sql)
    }

    private func execute(_ job: ClaimedJob) async -> JobOutcome {
        guard let kind = JobKind(rawValue: job.kind), let handler = handlers[kind] else {
            return await record(job, failure: "no handler for job kind '\(job.kind)'", final: true)
        }
        let began = ContinuousClock.now
        do {
            try await handler(job, services)
        } catch {
            // Cut by a stop: not the job's fault, so no attempt is spent; `stop` releases the lease.
            if Task.isCancelled, isStopping { return .cut }
            let reason = Problem.reason(error)
            return await record(job, failure: reason, final: false)
        }
        Self.noteIfSlow("job", name: job.kind, since: began, logger: logger)
        let now = services.clock()
        do {
            try await services.store.write { db in
                try await JobRepository.markDone(job.id, worker: self.worker, at: now, on: self.services.store.sql(db))
            }
        } catch {
            // The work is done; the lease will expire and the idempotent handler will find nothing to do.
            logger.warning("job finished but not marked done", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        return .done
    }

    /// Background work that took longer than a request should ever wait is logged (at info level) with how long it took,
    /// so a stall in the figures can be matched to what ran beside it.
    static func noteIfSlow(_ what: String, name: String, since began: ContinuousClock.Instant, logger: Logger) {
        let took = ContinuousClock.now - began
        guard took > .milliseconds(100) else { return }
        logger.info("slow background work", metadata: [what: "\(name)", "ms": "\(took.wholeMilliseconds)"])
    }

    private func record(_ job: ClaimedJob, failure reason: String, final: Bool) async -> JobOutcome {
        let now = services.clock()
        let decision = final ? .giveUp : RetrySchedule(firstDelay: schedule.firstDelay, maximumDelay: schedule.maximumDelay,
                                                       maxAttempts: job.maxAttempts).next(afterAttempt: job.attempt, failedAt: now)
        let text = String(reason.prefix(2000))
        do {
            try await services.store.write { db in
                let retryAt: Date? = if case let .retry(at) = decision { at } else { nil }
                try await JobRepository.markFailed(job.id, worker: self.worker, reason: text, retryAt: retryAt, at: now, on: self.services.store.sql(db))
            }
        } catch {
            logger.error("could not record a job failure", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        logger.warning("job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)", "error": "\(text)"])
        if case .giveUp = decision { return .dead(text) }
        return .failed(text)
    }

    /// On SQLite all runners share one machine, so a job still marked running at start-up lost its
    /// runner to a crash: it is queued again at once instead of waiting out its lease. Handlers are
    /// idempotent, so even a job a one-shot `mailgate` is finishing right now is safe to run twice.
    func recoverAfterRestart() async throws {
        guard services.store.sql.dialect.name == "sqlite" else { return }
        let now = services.clock()
        try await services.store.write { db in
            try await JobRepository.requeueRunning(at: now, on: self.services.store.sql(db))
        }
    }

    // MARK: The background loop

    /// Starts polling the queue in the background until `stop()`.
    func start() {
        loop.withLockedValue { state in
            guard state.task == nil else { return }
            state.task = Task { [self] in
                while !Task.isCancelled, !isStopping {
                    if await runDue() == 0 { await idle() }
                }
                loop.withLockedValue { $0.ended = true }
            }
        }
    }

    /// Wakes the loop at once (new work was enqueued in this process).
    func nudge() {
        loop.withLockedValue { state in
            state.nudged = true
            state.sleeper?.cancel()
        }
    }

    /// Stops the loop: nothing more is claimed, jobs in flight get `grace` to finish, and any still running then are
    /// cut and their leases released, so another instance takes them at once instead of waiting out the lease.
    func stop(grace: Duration = .zero) async {
        let task = loop.withLockedValue { state -> Task<Void, Never>? in
            state.stopping = true
            state.sleeper?.cancel()
            defer { state.task = nil }
            return state.task
        }
        guard let task else { return }
        let deadline = ContinuousClock.now + grace
        while !loop.withLockedValue({ $0.ended }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await task.value
        await releaseLeases()
    }

    /// Queues again, at once and without counting the attempt, every job this runner still holds.
    private func releaseLeases() async {
        let now = services.clock()
        do {
            let released = try await services.store.write { db in
                try await JobRepository.release(worker: self.worker, at: now, on: self.services.store.sql(db))
            }
            if released > 0 { logger.notice("released the leases of jobs cut by the stop", metadata: ["jobs": "\(released)"]) }
        } catch {
            logger.warning("could not release job leases; they expire on their own", metadata: ["error": "\(error)"])
        }
    }

    private func idle() async {
        let interval = pollInterval
        let sleeper: Task<Void, Never>? = loop.withLockedValue { state in
            if state.nudged {
                state.nudged = false
                return nil
            }
            let task = Task<Void, Never> { _ = try? await Task.sleep(for: interval) }
            state.sleeper = task
            return task
        }
        await sleeper?.value
        loop.withLockedValue { state in
            state.sleeper = nil
            state.nudged = false
        }
    }
}

/// A job this runner holds the lease on.
struct ClaimedJob: Sendable {
    let id: UUID
    let kind: String
    let payload: String
    let attempt: Int
    let maxAttempts: Int

    /// The payload decoded as `T`; a payload that does not decode is a permanent failure.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(payload.utf8))
        } catch {
            throw DomainError.invalid("payload", "does not match job kind \(kind)")
        }
    }
}

/// What became of one run of a job.
enum JobOutcome: Sendable, Equatable {
    case done
    case failed(String)
    case dead(String)
    case notClaimed
    /// Cut short by the runner stopping; queued again without the attempt counting.
    case cut
}
