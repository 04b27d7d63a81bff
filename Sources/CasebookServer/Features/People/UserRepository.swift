import CasebookCore
import Fluent
import Foundation
import SQLKit

/// People's accounts: found by address, listed for admins, and indexed by address for the CSV imports.
enum UserRepository {
    /// The account with this address (addresses are stored in lower case).
    static func find(email: String, on db: any Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$email == email).first()
    }

    /// Every member of staff (agents and admins), or only those whose accounts are active.
    static func staffIDs(activeOnly: Bool = false, on sql: any SQLDatabase) async throws -> Set<UUID> {
        var select = sql.select().column("id").from("users").where("role", .in, [Role.admin.rawValue, Role.agent.rawValue])
        if activeOnly { select = select.where("active", .equal, true) }
        return Set(try await select.all().map { try $0.decode(column: "id", as: UUID.self) })
    }

    /// Every member of staff's name by id.
    static func staffNames(on sql: any SQLDatabase) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for row in try await sql.select().columns("id", "name").from("users").where("role", .in, [Role.admin.rawValue, Role.agent.rawValue]).all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// How many accounts there are.
    static func count(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// People by name, optionally of one role or one organisation.
    static func list(role: Role?, organisationID: UUID?, limit: Int, on db: any Database) async throws -> [UserModel] {
        var query = UserModel.query(on: db)
        if let role { query = query.filter(\.$role == role.rawValue) }
        if let organisationID { query = query.filter(\.$organisationID == organisationID) }
        return try await query.sort(\.$name).limit(limit).all()
    }

    /// These people, when they exist.
    static func find(ids: [UUID], on db: any Database) async throws -> [UserModel] {
        try await UserModel.query(on: db).filter(\.$id ~~ ids).all()
    }

    /// Every account's id and role by address.
    static func byEmail(on sql: any SQLDatabase) async throws -> [String: (id: UUID, role: String)] {
        var people: [String: (id: UUID, role: String)] = [:]
        for row in try await sql.select().columns("id", "email", "role").from("users").all() {
            people[try row.decode(column: "email", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "role", as: String.self))
        }
        return people
    }

    /// Members of staff by address (account managers are named by address).
    static func staffByEmail(on sql: any SQLDatabase) async throws -> [String: UUID] {
        var staff: [String: UUID] = [:]
        for row in try await sql.select().columns("id", "email").from("users").where("role", .notEqual, Role.customer.rawValue).all() {
            staff[try row.decode(column: "email", as: String.self)] = try row.decode(column: "id", as: UUID.self)
        }
        return staff
    }

    /// The customers as the contacts file lists them, by address.
    static func contactsForExport(on sql: any SQLDatabase) async throws -> [[String]] {
        try await sql.raw("""
            SELECT u.email, u.name, o.name AS organisation, u.phone, u.language, u.time_zone FROM users u
            LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.role = 'customer' ORDER BY u.email
            """).all().map { row in
                [try row.decode(column: "email", as: String.self), try row.decode(column: "name", as: String.self),
                 try row.decode(column: "organisation", as: String?.self) ?? "", try row.decode(column: "phone", as: String?.self) ?? "",
                 try row.decode(column: "language", as: String.self), try row.decode(column: "time_zone", as: String.self)]
            }
    }

    /// Whether an account is active; nil when there is no such person.
    static func isActive(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool? {
        try await sql.select().column("active").from("users").where("id", .equal, id).first()?.decode(column: "active", as: Bool.self)
    }

    /// The languages a person writes (the codes they list) and reads (their profile's language).
    static func languages(of id: UUID, on sql: any SQLDatabase) async throws -> (writes: [String], profile: String)? {
        guard let row = try await sql.select().columns("writes_languages", "language").from("users").where("id", .equal, id).first() else { return nil }
        return (ReplyReview.listed(try row.decode(column: "writes_languages", as: String?.self) ?? ""), try row.decode(column: "language", as: String.self))
    }

    /// The active staff who write `language` well: those who list it, and those who list none and read it.
    static func staffWriting(_ language: String, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().columns("id", "writes_languages", "language").from("users")
            .where("role", .in, [Role.agent.rawValue, Role.admin.rawValue]).where("active", .equal, true).all()
            .compactMap { row in
                let listed = ReplyReview.listed(try row.decode(column: "writes_languages", as: String?.self) ?? "")
                let fluent = ReplyReview.fluent(listed: listed, profileLanguage: try row.decode(column: "language", as: String.self))
                return fluent.contains(language) ? try row.decode(column: "id", as: UUID.self) : nil
            }
    }

    /// The time zone a person keeps (an IANA name).
    static func timeZoneName(of id: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("time_zone").from("users").where("id", .equal, id).first()?.decode(column: "time_zone", as: String.self)
    }

    /// An account as the admin list shows it.
    struct Summary: Sendable {
        let id: UUID
        let name: String
        let email: String
        let role: String
        let language: String
        let active: Bool
    }

    static func summaries(limit: Int, on sql: any SQLDatabase) async throws -> [Summary] {
        try await sql.select().columns("id", "name", "email", "role", "language", "active").from("users").orderBy("name").limit(limit).all().map { row in
            Summary(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                    email: try row.decode(column: "email", as: String.self), role: try row.decode(column: "role", as: String.self),
                    language: try row.decode(column: "language", as: String.self), active: try row.decode(column: "active", as: Bool.self))
        }
    }
}
