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
        var select = req.store.sql.select().columns("*").from("contracts")
        if let organisation = req.query[String.self, at: "organisation_id"] {
            guard let id = UUID(uuidString: organisation) else { throw Problem.badRequest("Query parameter 'organisation_id' must be a UUID.") }
            select = select.where("organisation_id", .equal, id)
        }
        return try await select.orderBy("starts_on", .descending).limit(500).all().map(Self.view)
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
            try await sql.insert(into: "contracts")
                .columns("id", "organisation_id", "name", "level", "starts_on", "ends_on", "sla_policy_id", "created_at")
                .values(SQLBind(view.id), SQLBind(view.organisationID), SQLBind(view.name), SQLBind(view.level),
                        SQLBind(view.startsOn.description), SQLBind(view.endsOn?.description), SQLBind(view.slaPolicyID), SQLBind(now))
                .run()
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
                  let row = try await sql.select().columns("*").from("contracts").where("id", .equal, id).first()
            else { throw Problem.notFound("The contract") }
            var view = try Self.view(row)
            if input.organisationID != nil { throw Problem.invalid("organisation_id", "cannot change; end this contract and add one") }
            if let name = input.name { view.name = try Validate.name(name, field: "name") }
            if let level = input.level { view.level = try Validate.name(level, field: "level", max: 50).lowercased() }
            if let starts = input.startsOn { view.startsOn = starts }
            if let ends = input.endsOn.asDoubleOptional { view.endsOn = ends }
            if let policy = input.slaPolicyID.asDoubleOptional { view.slaPolicyID = policy }
            try await Self.check(view, on: sql)
            try await sql.update("contracts").set("name", to: view.name).set("level", to: view.level)
                .set("starts_on", to: view.startsOn.description).set("ends_on", to: view.endsOn?.description)
                .set("sla_policy_id", to: view.slaPolicyID).where("id", .equal, view.id).run()
            try await ServiceLevelSweep.scheduleRecompute(at: now, on: sql)
            return view
        }
        req.application.jobs.nudge()
        return view
    }

    static func check(_ view: ContractView, on sql: any SQLDatabase) async throws {
        if let ends = view.endsOn, ends < view.startsOn { throw Problem.invalid("ends_on", "must not be before starts_on") }
        guard try await sql.select().column("id").from(OrganisationModel.schema).where("id", .equal, view.organisationID).first() != nil else {
            throw Problem.invalid("organisation_id", "names no organisation")
        }
        if let policy = view.slaPolicyID {
            guard let row = try await sql.select().column("kind").from("sla_policies").where("id", .equal, policy).first() else {
                throw Problem.invalid("sla_policy_id", "names no SLA policy")
            }
            guard try row.decode(column: "kind", as: String.self) == SLAKind.formal.rawValue else {
                throw Problem.invalid("sla_policy_id", "must name a formal policy (informal ones apply by their conditions)")
            }
        }
    }

    static func view(_ row: any SQLRow) throws -> ContractView {
        ContractView(id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                     name: try row.decode(column: "name", as: String.self), level: try row.decode(column: "level", as: String.self),
                     startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
                     endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
                     slaPolicyID: try row.decode(column: "sla_policy_id", as: UUID?.self))
    }
}
