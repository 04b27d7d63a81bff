import CasebookCore
import Foundation
import SQLKit

/// Background recomputation of service levels: after a policy or calendar change, and on a timer
/// for the clocks whose next warning or breach has come.
enum ServiceLevelSweep {
    static let batchSize = 5_000
    static let recomputeKey = "sla.recompute_all"
    static let checkKey = "sla.check"

    /// Queues a recomputation of every open case (once, however many changes ask for it).
    static func scheduleRecompute(at now: Date, on sql: any SQLDatabase) async throws {
        try await JobQueue.enqueueOrRequeue(.recomputeServiceLevels, EmptyPayload(), dedupeKey: recomputeKey, at: now, on: sql)
    }

    /// Queues a check of the clocks that are due (the timer calls this).
    static func scheduleCheck(at now: Date, on sql: any SQLDatabase) async throws {
        try await JobQueue.enqueueOrRequeue(.checkServiceLevels, EmptyPayload(), dedupeKey: checkKey, at: now, on: sql)
    }


    /// Recomputes every open case, a batch per transaction; returns how many were recomputed.
    ///
    /// On SQLite the next batch is read (on a reader's connection) and planned, clocks, entries and all, while this
    /// batch is written, so reading and writing overlap on the two cores instead of taking turns, and the single
    /// writer only writes. A plan made outside the write is used only if no other write began since its facts were
    /// read (`WriteGate.onlyOwnWrites`); otherwise the batch reads and plans again inside its write transaction, as a
    /// sweep without the overlap always does.
    @discardableResult
    static func recomputeOpenCases(services: CasebookServices, batchSize: Int = batchSize) async throws -> Int {
        services.serviceLevels.dropCopy()
        let store = services.store
        let catalog = try await services.serviceLevels.current(on: store.sql)
        var total = 0
        guard store.gate.isEnabled && !catalog.isEmpty else {
            var last: UUID?
            while true {
                let ids = try await CaseRepository.openCaseIDs(after: last, limit: batchSize, on: store.sql)
                guard let end = ids.last else { return total }
                try await recompute(ids, catalog: catalog, services: services)
                total += ids.count
                last = end
            }
        }
        // Batches are read and planned ahead of the writer, so each write finds its plan ready.
        var pending = OpenCasePages(batchSize: batchSize, store: store)
        var planning: [Task<Computed, any Error>] = []
        var ownWrites = 0
        // Plans still being made when a write fails only read; they are stopped rather than left to finish.
        defer {
            for task in planning { task.cancel() }
            pending.cancel()
        }
        // Plans take turns between the event loops, so reading and planning use every core while the writer writes.
        var planned = 0
        func planAhead() async throws {
            while planning.count < readAheadDepth, let ids = try await pending.next() {
                planning.append(readAhead(ids, catalog: catalog, services: services, ownWrites: ownWrites, on: EventLoopExecutor.lane(planned)))
                planned += 1
            }
        }
        try await planAhead()
        while !planning.isEmpty {
            let batch = try await planning.removeFirst().value
            try await planAhead()
            ownWrites += 1
            try await recompute(batch.ids, catalog: catalog, services: services, computed: batch, ownWrites: ownWrites)
            total += batch.ids.count
        }
        return total
    }

    /// How many batches are read and planned while one is written: one per core and one more, so a core that
    /// finishes its plan before the writer takes the last one has the next one to start.
    static let readAheadDepth = 3

    /// Open cases in id order, read a few batches at a time and handed out a batch at a time. The next page is
    /// read in the background as soon as the current one is known, so the writer never waits for it.
    private struct OpenCasePages {
        let batchSize: Int
        let store: Store
        private var batches: [[UUID]] = []
        private var nextPage: Task<[UUID], any Error>?

        init(batchSize: Int, store: Store) {
            self.batchSize = batchSize
            self.store = store
            nextPage = Self.read(after: nil, limit: batchSize * 8, from: store)
        }

        mutating func next() async throws -> [UUID]? {
            if batches.isEmpty, let page = nextPage {
                let ids = try await page.value
                nextPage = ids.count < batchSize * 8 ? nil : Self.read(after: ids.last, limit: batchSize * 8, from: store)
                batches = stride(from: 0, to: ids.count, by: batchSize).map { Array(ids[$0..<min($0 + batchSize, ids.count)]) }
            }
            return batches.isEmpty ? nil : batches.removeFirst()
        }

        /// Stops a page read nobody will use.
        func cancel() { nextPage?.cancel() }

        private static func read(after last: UUID?, limit: Int, from store: Store) -> Task<[UUID], any Error> {
            Task { try await store.reading { db in try await CaseRepository.openCaseIDs(after: last, limit: limit, on: store.sql(db)) } }
        }
    }

    /// A batch read outside the write and its plan, and how many writes had begun (in all, and of the sweep's own)
    /// just before its facts were read.
    private struct Computed: Sendable {
        let ids: [UUID]
        let plan: CaseClock.Plan
        let writesBefore: WriteGate.Mark
        let ownWritesBefore: Int
    }

    /// Starts reading `ids`' facts and planning their recomputation; the mark is taken now, before the caller's next write.
    private static func readAhead(_ ids: [UUID], catalog: ServiceLevelCatalog, services: CasebookServices,
                                  ownWrites: Int, on executor: EventLoopExecutor) -> Task<Computed, any Error> {
        let writesBefore = services.store.gate.mark
        let now = services.clock()
        return Task(executorPreference: executor) {
            let store = services.store
            // Each plan stays on its own loop: spread over both, its clocks would queue behind the other plan's reads
            // (long statements that never yield), and both loops would wait on each other.
            let plan = try await store.reading { db in try await CaseClock.plan(ids, on: store.sql(db), now: now, catalog: catalog, spread: false) }
            return Computed(ids: ids, plan: plan, writesBefore: writesBefore, ownWritesBefore: ownWrites)
        }
    }

    /// Recomputes the cases whose next warning or breach time has passed; returns how many.
    @discardableResult
    static func checkDue(services: CasebookServices) async throws -> Int {
        let now = services.clock()
        let catalog = try await services.serviceLevels.current(on: services.store.sql)
        var total = 0
        while true {
            let ids = try await CaseClockRepository.dueCaseIDs(at: now, limit: batchSize, on: services.store.sql)
            if ids.isEmpty { return total }
            try await recompute(ids, catalog: catalog, services: services)
            total += ids.count
            if ids.count < batchSize { return total }
        }
    }

    private static func recompute(_ ids: [UUID], catalog: ServiceLevelCatalog, services: CasebookServices,
                                  computed: Computed? = nil, ownWrites: Int = 0) async throws {
        let store = services.store
        try await store.write { db in try await withTaskExecutorPreference(EventLoopExecutor.bulkWrites) {
            let sql = store.sql(db)
            try await CaseClockRepository.lock(ids, on: sql)
            // This write has begun too: anything beyond the sweep's own writes since the mark was someone else's.
            if let computed, store.gate.onlyOwnWrites(since: computed.writesBefore, own: ownWrites - computed.ownWritesBefore) {
                try await CaseClock(services: services).recompute(ids, on: sql, now: computed.plan.now, catalog: catalog, planned: computed.plan)
            } else {
                try await CaseClock(services: services).recompute(ids, on: sql, now: services.clock(), catalog: catalog)
            }
        } }
    }
}

/// The payload of jobs that need no arguments.
struct EmptyPayload: Codable, Sendable {}
