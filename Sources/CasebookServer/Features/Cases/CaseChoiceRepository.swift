import CasebookCore
import Foundation
import SQLKit

/// What a case's fields may be set to on the desk's forms: staff, groups, organisations and catalogue entries by
/// name, and the people a case can be filed for.
enum CaseChoiceRepository {
    /// One choice: its id and the name a person picks it by.
    struct Choice: Sendable, Equatable {
        let id: UUID
        let name: String
    }

    /// A person a case may be filed for, as a lookup lists them.
    struct Person: Sendable, Equatable {
        let id: UUID
        let name: String
        let email: String
        let phone: String?
        let organisation: String?
    }

    /// Active agents and admins, who may own a case.
    static func agents(on sql: any SQLDatabase) async throws -> [Choice] {
        try await choices(sql.select().columns("id", "name").from("users").where("role", .in, SQLBind.group(["agent", "admin"]))
            .where("active", .equal, true).orderBy("name"))
    }

    /// Current groups, and a retired one only for the case that still names it.
    static func groups(keeping current: UUID?, on sql: any SQLDatabase) async throws -> [Choice] {
        try await offered("groups", keeping: current, on: sql)
    }

    static func categories(keeping current: UUID?, on sql: any SQLDatabase) async throws -> [Choice] {
        try await offered("categories", keeping: current, on: sql)
    }

    static func products(keeping current: UUID?, on sql: any SQLDatabase) async throws -> [Choice] {
        try await offered("products", keeping: current, on: sql)
    }

    /// Current versions named with their product ("Printer 2.1").
    static func versions(keeping current: UUID?, on sql: any SQLDatabase) async throws -> [Choice] {
        let rows = try await sql.select().column(SQLColumn("id", table: "v")).column(SQLColumn("name", table: "p"), as: "product")
            .column(SQLColumn("name", table: "v"), as: "version")
            .from(SQLAlias(SQLIdentifier("product_versions"), as: SQLIdentifier("v")))
            .join(SQLAlias(SQLIdentifier("products"), as: SQLIdentifier("p")), on: SQLColumn("product_id", table: "v"), .equal, SQLColumn("id", table: "p"))
            .where { $0.where(SQLColumn("retired_at", table: "v"), .is, SQLLiteral.null).orWhere(SQLColumn("id", table: "v"), .equal, SQLBind(current)) }
            .orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("name", table: "v")).limit(2000).all()
        return try rows.map {
            Choice(id: try $0.decode(column: "id", as: UUID.self),
                   name: try $0.decode(column: "product", as: String.self) + " " + $0.decode(column: "version", as: String.self))
        }
    }

    /// Organisations by name; a desk with more than a couple of thousand picks them by the requester instead.
    static func organisations(on sql: any SQLDatabase) async throws -> [Choice] {
        try await choices(sql.select().columns("id", "name").from("organisations").orderBy("name").limit(2000))
    }

    /// The active person with this address, whatever their role.
    static func person(email: String, on sql: any SQLDatabase) async throws -> Person? {
        try await people(sql.select().where(SQLFunction("lower", args: SQLColumn("email", table: "u")), .equal, SQLBind(email.lowercased())), limit: 1).first
    }

    static func person(id: UUID, on sql: any SQLDatabase) async throws -> Person? {
        try await people(sql.select().where(SQLColumn("id", table: "u"), .equal, SQLBind(id)), limit: 1).first
    }

    /// Which of these addresses belong to staff (agents, account managers, admins), who are never a case's copies.
    static func staffAddresses(among addresses: [String], on sql: any SQLDatabase) async throws -> Set<String> {
        guard !addresses.isEmpty else { return [] }
        return Set(try await sql.select().column("email").from("users").where("email", .in, SQLBind.group(addresses))
            .where("role", .notEqual, SQLBind("customer")).all().map { try $0.decode(column: "email", as: String.self).lowercased() })
    }

    /// Active people whose name, address or phone number holds the text, customers first: the caller lookup.
    static func find(_ text: String, limit: Int = 20, on sql: any SQLDatabase) async throws -> [Person] {
        let needle = "%" + text.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        return try await people(sql.select().where {
            $0.where(SQLFunction("lower", args: SQLColumn("name", table: "u")), .like, SQLBind(needle))
                .orWhere(SQLFunction("lower", args: SQLColumn("email", table: "u")), .like, SQLBind(needle))
                .orWhere(SQLColumn("phone", table: "u"), .like, SQLBind(needle))
        }, limit: limit)
    }

    private static func people(_ query: SQLSelectBuilder, limit: Int) async throws -> [Person] {
        let rows = try await query.column(SQLColumn("id", table: "u")).column(SQLColumn("name", table: "u")).column(SQLColumn("email", table: "u"))
            .column(SQLColumn("phone", table: "u")).column(SQLColumn("name", table: "o"), as: "organisation")
            .from(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("organisations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organisation_id", table: "u"), .equal, SQLColumn("id", table: "o"))
            .where(SQLColumn("active", table: "u"), .equal, SQLBind(true))
            .orderBy(SQLRaw("CASE WHEN u.role = 'customer' THEN 0 ELSE 1 END")).orderBy(SQLColumn("name", table: "u")).limit(limit).all()
        return try rows.map {
            Person(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                   email: try $0.decode(column: "email", as: String.self), phone: try $0.decode(column: "phone", as: String?.self),
                   organisation: try $0.decode(column: "organisation", as: String?.self))
        }
    }

    private static func offered(_ table: String, keeping current: UUID?, on sql: any SQLDatabase) async throws -> [Choice] {
        try await choices(sql.select().columns("id", "name").from(table)
            .where { $0.where("retired_at", .is, SQLLiteral.null).orWhere("id", .equal, current) }.orderBy("name").limit(2000))
    }

    private static func choices(_ query: SQLSelectBuilder) async throws -> [Choice] {
        try await query.all().map { Choice(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
    }
}
