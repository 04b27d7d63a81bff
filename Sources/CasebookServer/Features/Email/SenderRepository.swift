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

    /// The person with this (lower-cased) address.
    static func person(email: String, on db: any Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$email == email).first()
    }

    /// The organisation that owns a mail domain.
    static func organisation(domain: String, on db: any Database) async throws -> OrganisationModel? {
        try await OrganisationModel.query(on: db).filter(\.$domain == domain).first()
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
