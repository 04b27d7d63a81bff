import CasebookCore
import SQLKit
import Vapor

/// `/contracts`: customers' support contracts, which carry their formal SLA.
struct ContractController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let contracts = routes.grouped("contracts")
        contracts.get(use: list)
        contracts.post(use: create)
        contracts.patch(":id", use: update)
    }

    @Sendable func list(req: Request) async throws -> [ContractView] {
        try req.authorize(.readServiceLevels)
        var organisationID: UUID?
        if let organisation = req.query[String.self, at: "organisation_id"] {
            guard let id = UUID(uuidString: organisation) else { throw Problem.badRequest("Query parameter 'organisation_id' must be a UUID.") }
            organisationID = id
        }
        return try await ContractRepository.list(organisationID: organisationID, limit: 500, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(ContractWrite.self)
        guard let organisationID = input.organisationID else { throw Problem.invalid("organisation_id", "is required") }
        guard let name = input.name else { throw Problem.invalid("name", "is required") }
        guard let startsOn = input.startsOn else { throw Problem.invalid("starts_on", "is required") }
        var endsOn: LocalDate?
        if case let .value(end) = input.endsOn { endsOn = end }
        var policyID: UUID?
        if case let .value(id) = input.slaPolicyID { policyID = id }
        let view = ContractView(id: RecordID.make(), organisationID: organisationID, name: try Validate.name(name, field: "name"),
                                level: try Validate.name(input.level ?? "standard", field: "level", max: 50).lowercased(),
                                startsOn: startsOn, endsOn: endsOn, slaPolicyID: policyID)
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await Self.check(view, on: sql)
            try await ContractRepository.insert(view, at: now, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
        }
        req.application.jobs.nudge()
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> ContractView {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(ContractWrite.self)
        let now = req.now
        let view = try await req.store.write { db -> ContractView in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self),
                  var view = try await ContractRepository.find(id, on: sql)
            else { throw Problem.notFound("The contract") }
            if input.organisationID != nil { throw Problem.invalid("organisation_id", "cannot change; end this contract and add one") }
            if let name = input.name { view.name = try Validate.name(name, field: "name") }
            if let level = input.level { view.level = try Validate.name(level, field: "level", max: 50).lowercased() }
            if let starts = input.startsOn { view.startsOn = starts }
            if let ends = input.endsOn.asDoubleOptional { view.endsOn = ends }
            if let policy = input.slaPolicyID.asDoubleOptional { view.slaPolicyID = policy }
            try await Self.check(view, on: sql)
            try await ContractRepository.update(view, on: sql)
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return view
        }
        req.application.jobs.nudge()
        return view
    }

    static func check(_ view: ContractView, on sql: any SQLDatabase) async throws {
        if let ends = view.endsOn, ends < view.startsOn { throw Problem.invalid("ends_on", "must not be before starts_on") }
        guard try await RelatedRecordRepository.exists(OrganisationModel.schema, view.organisationID, on: sql) else {
            throw Problem.invalid("organisation_id", "names no organisation")
        }
        if let policy = view.slaPolicyID {
            guard let kind = try await SLAPolicyRepository.kind(of: policy, on: sql) else {
                throw Problem.invalid("sla_policy_id", "names no SLA policy")
            }
            guard kind == .formal else {
                throw Problem.invalid("sla_policy_id", "must name a formal policy (informal ones apply by their conditions)")
            }
        }
    }
}
