import CasebookCore
import Foundation
import SQLKit

/// Background recomputation of service levels: after a policy or calendar change, and on a timer
/// for the clocks whose next warning or breach has come.
enum ServiceLevelSweep {
    static let batchSize = 2_000
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
    @discardableResult
    static func recomputeOpenCases(services: CasebookServices) async throws -> Int {
        services.serviceLevels.invalidate()
        let catalog = try await services.serviceLevels.current(on: services.store.sql)
        var after: UUID?
        var total = 0
        while true {
            let ids = try await openCaseIDs(after: after, limit: batchSize, on: services.store.sql)
            guard let last = ids.last else { return total }
            try await recompute(ids, catalog: catalog, services: services)
            total += ids.count
            after = last
        }
    }

    /// The next page of open (not solved or closed) cases, by id, for sweeps that visit every one.
    static func openCaseIDs(after: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        var select = sql.select().column("id").from("cases").where("status", .notIn, [CaseStatus.solved.rawValue, CaseStatus.closed.rawValue])
        if let after { select = select.where("id", .greaterThan, after) }
        return try await select.orderBy("id").limit(limit).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Recomputes the cases whose next warning or breach time has passed; returns how many.
    @discardableResult
    static func checkDue(services: CasebookServices) async throws -> Int {
        let now = services.clock()
        let catalog = try await services.serviceLevels.current(on: services.store.sql)
        var total = 0
        while true {
            let ids = try await services.store.sql.select().column("case_id").from("case_sla")
                .where("next_check_at", .lessThanOrEqual, now).limit(batchSize).all()
                .map { try $0.decode(column: "case_id", as: UUID.self) }
            if ids.isEmpty { return total }
            try await recompute(ids, catalog: catalog, services: services)
            total += ids.count
            if ids.count < batchSize { return total }
        }
    }

    private static func recompute(_ ids: [UUID], catalog: ServiceLevelCatalog, services: CasebookServices) async throws {
        let now = services.clock()
        try await services.store.write { db in
            let sql = services.store.sql(db)
            try await lock(ids, on: sql)
            try await CaseClock(services: services).recompute(ids, on: sql, now: now, catalog: catalog)
        }
    }

    /// Holds the case rows for the rest of the transaction on PostgreSQL (SQLite's writer is already alone).
    private static func lock(_ ids: [UUID], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("SELECT id FROM cases WHERE id IN (\(binds: ids)) ORDER BY id FOR UPDATE").all()
    }
}

/// The payload of jobs that need no arguments.
struct EmptyPayload: Codable, Sendable {}
