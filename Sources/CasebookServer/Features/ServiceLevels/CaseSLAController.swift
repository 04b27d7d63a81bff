import CasebookCore
import SQLKit
import Vapor

/// A case's service level explained, and the queue of cases by service-level standing.
struct CaseSLAController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", ":reference", "sla", use: show)
        routes.get("sla", "cases", use: queue)
        routes.post("sla", "recompute", use: recompute)
    }

    /// Which policy applies, each target's due time, time used, time paused, and why it is (or will be) breached.
    @Sendable func show(req: Request) async throws -> CaseSLAView {
        try req.authorize(.readServiceLevels)
        let prefix = req.casebook.configuration.referencePrefix
        return try await view(for: try await CaseLookup.find(req.parameters.get("reference") ?? "", prefix: prefix, on: req.store.sql), req: req)
    }

    /// The clocks of a case already read (the case page has it in hand).
    func view(for record: CaseRecord, req: Request) async throws -> CaseSLAView {
        try req.authorize(.readServiceLevels)
        let prefix = req.casebook.configuration.referencePrefix
        let reference = Reference(prefix: prefix, number: record.number).description
        let catalog = try await req.casebook.serviceLevels.current(on: req.store.sql)
        guard let report = try await CaseClock(services: req.casebook).report(for: record, catalog: catalog, on: req.store.sql, now: req.now)
        else { return CaseSLAView(reference: reference, policy: nil, timeZone: nil, state: nil, metrics: []) }
        return CaseSLAView(reference: reference, policy: .init(id: report.policyID, name: report.policyName, kind: report.kind),
                           timeZone: report.timeZone, state: report.worstState, metrics: report.metrics.map(SLAMetricView.init))
    }

    /// Open cases by standing, soonest due first: `?state=warning` is "breaching soon".
    @Sendable func queue(req: Request) async throws -> [SLAQueueItem] {
        try req.authorize(.readServiceLevels)
        let states: [SLAState]
        if let state = req.query[String.self, at: "state"] {
            guard let known = SLAState(rawValue: state) else {
                throw Problem.badRequest("Query parameter 'state' must be one of \(SLAState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            states = [known]
        } else {
            states = [.breached, .warning, .running]
        }
        // Read as text: an unreadable limit is an error, not a silent default.
        let limitText = req.query[String.self, at: "limit"] ?? "100"
        guard let limit = Int(limitText), (1...500).contains(limit) else {
            throw Problem.badRequest("Query parameter 'limit' must be a whole number from 1 to 500.")
        }
        let prefix = req.casebook.configuration.referencePrefix
        return try await CaseSLARepository.queue(states: states, limit: limit, prefix: prefix, on: req.store.sql)
    }

    /// The receipt for a requested recomputation.
    struct Scheduled: Content {
        var scheduled: Bool
    }

    /// Queues a recomputation of every open case's clocks (admins, after bulk changes or an import).
    @Sendable func recompute(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let now = req.now
        try await req.store.write { db in try await ServiceLevelSweep.scheduleRecompute(at: now, on: req.store.sql(db)) }
        req.application.jobs.nudge()
        return try await Scheduled(scheduled: true).encodeResponse(status: .accepted, for: req)
    }
}
