import CasebookCore
import Foundation
import SQLKit

/// Customers' support contracts: level, dates and the formal SLA policy they carry.
enum ContractRepository {
    /// Contracts newest first, optionally of one organisation.
    static func list(organisationID: UUID?, limit: Int?, on sql: any SQLDatabase) async throws -> [ContractView] {
        var select = sql.select().columns("*").from("contracts")
        if let organisationID { select = select.where("organisation_id", .equal, organisationID) }
        select = select.orderBy("starts_on", .descending)
        if let limit { select = select.limit(limit) }
        return try await select.all().map(view)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> ContractView? {
        try await sql.select().columns("*").from("contracts").where("id", .equal, id).first().map(view)
    }

    static func insert(_ view: ContractView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "contracts")
            .columns("id", "organisation_id", "name", "level", "starts_on", "ends_on", "sla_policy_id", "created_at")
            .values(SQLBind(view.id), SQLBind(view.organisationID), SQLBind(view.name), SQLBind(view.level),
                    SQLBind(view.startsOn.description), SQLBind(view.endsOn?.description), SQLBind(view.slaPolicyID), SQLBind(now))
            .run()
    }

    static func update(_ view: ContractView, on sql: any SQLDatabase) async throws {
        try await sql.update("contracts").set("name", to: view.name).set("level", to: view.level)
            .set("starts_on", to: view.startsOn.description).set("ends_on", to: view.endsOn?.description)
            .set("sla_policy_id", to: view.slaPolicyID).where("id", .equal, view.id).run()
    }

    /// Every contract with its organisation's name, by organisation then start, as the admin list shows them.
    static func withOrganisations(on sql: any SQLDatabase) async throws -> [(organisation: String, contract: ContractView)] {
        try await sql.raw("""
            SELECT c.*, o.name AS organisation FROM contracts c JOIN organisations o ON o.id = c.organisation_id ORDER BY o.name, c.starts_on
            """).all().map { (try $0.decode(column: "organisation", as: String.self), try view($0)) }
    }

    private static func view(_ row: any SQLRow) throws -> ContractView {
        ContractView(id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                     name: try row.decode(column: "name", as: String.self), level: try row.decode(column: "level", as: String.self),
                     startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
                     endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
                     slaPolicyID: try row.decode(column: "sla_policy_id", as: UUID?.self))
    }
}
