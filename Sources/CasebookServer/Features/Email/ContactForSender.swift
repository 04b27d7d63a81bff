import CasebookCore
import Fluent
import Foundation
import SQLKit

/// The person an email comes from: a known person, or a new customer (in the organisation that
/// owns the sender's domain, when one does).
struct ContactForSender {
    let services: CasebookServices

    /// The actor automatic notes are written as: the first active admin (mail comes in with an admin token).
    static func systemActor(on db: any Database) async throws -> CurrentActor {
        guard let admin = try await UserModel.query(on: db).filter(\.$role == Role.admin.rawValue).filter(\.$active == true)
            .sort(\.$createdAt).first() else { throw DomainError.conflict("No active admin exists to record automatic mail.") }
        return try await CurrentActor.load(admin, on: db, channel: .email)
    }

    /// Whether the address is a person we know, or belongs to a customer organisation's domain.
    static func isKnown(_ address: String, on sql: any SQLDatabase) async throws -> Bool {
        let email = address.lowercased()
        if try await sql.select().column("id").from(UserModel.schema).where("email", .equal, email).first() != nil { return true }
        let domain = String(email.split(separator: "@").last ?? "")
        return try await sql.select().column("id").from(OrganisationModel.schema).where("domain", .equal, domain).first() != nil
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

    /// The sender as a contact, made when new (in `language` when the address they wrote to has one).
    func find(_ address: String, name: String?, language: String? = nil, on db: any Database) async throws -> CurrentActor {
        let email = try Validate.email(address, field: "from")
        var user = try await UserModel.query(on: db).filter(\.$email == email).first()
        if user == nil {
            let domain = String(email.split(separator: "@").last ?? "")
            let organisation = try await OrganisationModel.query(on: db).filter(\.$domain == domain).first()
            let displayName = name.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } ?? String(email.split(separator: "@")[0])
            let created = UserModel(email: email, name: displayName, role: Role.customer.rawValue, phone: nil, language: language ?? "en",
                                    timeZone: "UTC", organisationID: organisation?.id, tier: nil, passwordHash: nil, active: true,
                                    createdAt: services.clock())
            try await created.create(on: db)
            user = created
        }
        guard let user, user.active else { throw DomainError.forbidden("The sender \(email) is deactivated.") }
        return try await CurrentActor.load(user, on: db, channel: .email)
    }
}
