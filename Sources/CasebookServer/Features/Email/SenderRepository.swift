import CasebookCore
import Fluent
import Foundation
import SQLKit

/// What the mail intake asks about a sender: whether we know them, and whether they may write on a case by its number.
enum SenderRepository {
    /// The first active admin, whom automatic notes are written as.
    static func firstActiveAdmin(on db: any Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$role == Role.admin.rawValue).filter(\.$active == true).sort(\.$createdAt).first()
    }

    /// A sender as the intake needs them, with whether their organisation shares cases.
    struct Sender: Sendable {
        let id: UUID
        let email: String
        let name: String
        let role: Role
        let active: Bool
        let organisationID: UUID?
        let sharesCases: Bool
    }

    /// The person with this (lower-cased) address. Plain SQL, so inside the write it runs on the writer's own
    /// connection: a Fluent query there went through the driver's thread pool, three hops a mail.
    static func sender(email: String, on sql: any SQLDatabase) async throws -> Sender? {
        try await sql.raw("""
            SELECT u.id AS id, u.email AS email, u.name AS name, u.role AS role, u.active AS active, u.organisation_id AS organisation_id,
            o.shares_cases AS shares_cases FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = \(bind: email)
            """).first().map { row in
            Sender(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                   name: try row.decode(column: "name", as: String.self),
                   role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .customer,
                   active: try row.decode(column: "active", as: Bool.self), organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                   sharesCases: try row.decode(column: "shares_cases", as: Bool?.self) ?? false)
        }
    }

    /// The organisation that owns a mail domain, with whether it shares cases.
    static func organisation(domain: String, on sql: any SQLDatabase) async throws -> (id: UUID, sharesCases: Bool)? {
        try await sql.select().columns("id", "shares_cases").from("organisations").where("domain", .equal, domain).first().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "shares_cases", as: Bool.self))
        }
    }

    /// Records a new customer who wrote in.
    static func insertCustomer(_ sender: Sender, language: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "users")
            .columns("id", "email", "name", "role", "phone", "language", "time_zone", "organisation_id", "tier", "password_hash", "active", "created_at")
            .values(SQLBind(sender.id), SQLBind(sender.email), SQLBind(sender.name), SQLBind(Role.customer.rawValue), SQLBind(String?.none),
                    SQLBind(language), SQLBind("UTC"), SQLBind(sender.organisationID), SQLBind(Int?.none), SQLBind(String?.none),
                    SQLBind(true), SQLBind(now))
            .run()
    }

    /// Whether the address is a person we know, or belongs to a customer organisation's domain.
    static func isKnown(_ address: String, on sql: any SQLDatabase) async throws -> Bool {
        let email = address.lowercased()
        if try await sql.select().column("id").from("users").where("email", .equal, email).first() != nil { return true }
        let domain = String(email.split(separator: "@").last ?? "")
        return try await sql.select().column("id").from("organisations").where("domain", .equal, domain).first() != nil
    }

    /// Whether mail from `address` may land on case `number` by its number alone (a subject tag or a case address):
    /// staff, the requester, someone who already wrote on it, or a colleague when their organisation shares cases.
    /// A number is easy to guess, so anyone else's mail opens a case of its own (Zammad #5064).
    static func mayWrite(on number: Int, from address: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS ok FROM cases c JOIN users u ON u.email = \(bind: address.lowercased())
            LEFT JOIN organisations o ON o.id = c.organisation_id
            WHERE c.number = \(bind: number) AND (u.role <> 'customer' OR u.id = c.requester_id
                OR (o.shares_cases = \(bind: true) AND u.organisation_id = c.organisation_id)
                OR EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND m.author_id = u.id)
                OR EXISTS (SELECT 1 FROM case_copies x WHERE x.case_id = c.id AND x.address = u.email))
            """).first() != nil
    }
}
