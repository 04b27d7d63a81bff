import CasebookCore
import SQLKit
import Vapor

/// `/sla-policies`: formal (contract) and informal service-level policies.
struct SLAPolicyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let policies = routes.grouped("sla-policies")
        policies.get(use: list)
        policies.post(use: create)
        policies.get(":id", use: show)
        policies.patch(":id", use: update)
    }

    static let maxTargetMinutes = 366 * 24 * 60

    @Sendable func list(req: Request) async throws -> [SLAPolicyView] {
        try req.authorize(.readServiceLevels)
        return try await SLAPolicyRepository.list(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> SLAPolicyView {
        try req.authorize(.readServiceLevels)
        return try await Self.find(req, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(SLAPolicyWrite.self)
        guard let name = input.name else { throw Problem.invalid("name", "is required") }
        guard let calendarID = input.calendarID else { throw Problem.invalid("calendar_id", "is required") }
        guard let targets = input.targets else { throw Problem.invalid("targets", "is required") }
        let view = SLAPolicyView(id: RecordID.make(), name: try Validate.name(name, field: "name"), kind: input.kind ?? .informal,
                                 conditions: input.conditions ?? SLAConditions(), targets: targets, calendarID: calendarID,
                                 warnAtPercent: input.warnAtPercent ?? 75, rank: input.rank ?? 100, active: input.active ?? true)
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await Self.check(view, on: sql)
            try await SLAPolicyRepository.insert(view, at: now, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> SLAPolicyView {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(SLAPolicyWrite.self)
        let now = req.now
        let view = try await req.store.write { db -> SLAPolicyView in
            let sql = req.store.sql(db)
            var view = try await Self.find(req, on: sql)
            if let name = input.name { view.name = try Validate.name(name, field: "name") }
            if let kind = input.kind { view.kind = kind }
            if let conditions = input.conditions { view.conditions = conditions }
            if let targets = input.targets { view.targets = targets }
            if let calendarID = input.calendarID { view.calendarID = calendarID }
            if let warn = input.warnAtPercent { view.warnAtPercent = warn }
            if let rank = input.rank { view.rank = rank }
            if let active = input.active { view.active = active }
            try await Self.check(view, on: sql)
            try await SLAPolicyRepository.update(view, at: now, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return view
        }
        req.casebook.serviceLevels.invalidate()
        req.application.jobs.nudge()
        return view
    }

    static func check(_ view: SLAPolicyView, on sql: any SQLDatabase) async throws {
        guard !view.targets.isEmpty else { throw Problem.invalid("targets", "must give targets for at least one priority") }
        for (key, targets) in view.targets {
            guard Priority(rawValue: key) != nil else {
                throw Problem.invalid("targets", "has '\(key)'; priorities are \(Priority.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for metric in SLAMetric.allCases {
                if let minutes = targets.minutes(for: metric), !(1...maxTargetMinutes).contains(minutes) {
                    throw Problem.invalid("targets.\(key).\(metric.rawValue)_minutes", "must be from 1 to \(maxTargetMinutes)")
                }
            }
        }
        guard (1...100).contains(view.warnAtPercent) else { throw Problem.invalid("warn_at_percent", "must be from 1 to 100") }
        guard (0...10_000).contains(view.rank) else { throw Problem.invalid("rank", "must be from 0 to 10000") }
        guard try await CalendarRepository.exists(view.calendarID, on: sql) else {
            throw Problem.invalid("calendar_id", "names no calendar")
        }
        if try await SLAPolicyRepository.nameTaken(view.name, byOtherThan: view.id, on: sql) {
            throw Problem.conflict("A policy named '\(view.name)' already exists.")
        }
    }

    static func find(_ req: Request, on sql: any SQLDatabase) async throws -> SLAPolicyView {
        guard let id = req.parameters.get("id", as: UUID.self), let view = try await SLAPolicyRepository.find(id, on: sql)
        else { throw Problem.notFound("The SLA policy") }
        return view
    }
}
