import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Customer organisations: listed, found by name, and as the organisations file lists them.
enum OrganisationRepository {
    static func list(limit: Int, on db: any Database) async throws -> [OrganisationModel] {
        try await OrganisationModel.query(on: db).sort(\.$name).limit(limit).all()
    }

    static func find(name: String, on db: any Database) async throws -> OrganisationModel? {
        try await OrganisationModel.query(on: db).filter(\.$name == name).first()
    }

    /// The organisation with this name, or with this id.
    static func find(nameOrID: String, on db: any Database) async throws -> OrganisationModel? {
        try await OrganisationModel.query(on: db).group(.or) { group in
            group.filter(\.$name == nameOrID)
            if let id = UUID(uuidString: nameOrID) { group.filter(\.$id == id) }
        }.first()
    }

    /// The organisation whose people write from this mail domain.
    static func find(domain: String, on db: any Database) async throws -> OrganisationModel? {
        try await OrganisationModel.query(on: db).filter(\.$domain == domain).first()
    }

    /// Every organisation's id by its name in lower case, as import files name them.
    static func idsByName(on sql: any SQLDatabase) async throws -> [String: UUID] {
        var organisations: [String: UUID] = [:]
        for row in try await sql.select().columns("id", "name").from("organisations").all() {
            organisations[try row.decode(column: "name", as: String.self).lowercased()] = try row.decode(column: "id", as: UUID.self)
        }
        return organisations
    }

    /// Organisations as the organisations file lists them: name, domain, shares cases, seats, account manager.
    static func forExport(on sql: any SQLDatabase) async throws -> [[String]] {
        try await sql.raw("""
            SELECT o.name, o.domain, o.shares_cases, o.seats, u.email AS manager FROM organisations o
            LEFT JOIN users u ON u.id = o.account_manager_id ORDER BY o.name
            """).all().map { row in
                [try row.decode(column: "name", as: String.self), try row.decode(column: "domain", as: String?.self) ?? "",
                 try row.decode(column: "shares_cases", as: Bool.self) ? "yes" : "no", String(try row.decode(column: "seats", as: Int.self)),
                 try row.decode(column: "manager", as: String?.self) ?? ""]
            }
    }

    /// An organisation as the admin list shows it.
    struct Summary: Sendable {
        let id: UUID
        let name: String
        let domain: String?
        let seats: Int?
        let sharesCases: Bool
    }

    /// Organisations by name.
    static func summaries(limit: Int?, on sql: any SQLDatabase) async throws -> [Summary] {
        var select = sql.select().columns("id", "name", "domain", "seats", "shares_cases").from("organisations").orderBy("name")
        if let limit { select = select.limit(limit) }
        return try await select.all().map { row in
            Summary(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                    domain: try row.decode(column: "domain", as: String?.self), seats: try row.decode(column: "seats", as: Int?.self),
                    sharesCases: try row.decode(column: "shares_cases", as: Bool.self))
        }
    }
}
