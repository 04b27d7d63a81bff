import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Where an account comes from: an OpenID Connect provider or an LDAP directory, with how its groups map to roles.
struct IdentitySource: Sendable {
    var id: UUID
    var name: String
    /// What carries the groups, for the audit log ("groups claim", "memberOf").
    var groupsLabel: String
    var roleMap: [String: Role]
    /// Group → Casebook group name, for staff (`CompanyGroups`).
    var groupMap: [String: String] = [:]
    var defaultRole: Role?
    var createsPeople: Bool

    /// The role the groups give, the strongest when several match; group names compare without case.
    func mappedRole(_ groups: [String]) -> Role? {
        let lowered = Dictionary(roleMap.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        let roles = groups.compactMap { lowered[$0.lowercased()] }
        for role in [Role.admin, .agent, .accountManager, .customer] where roles.contains(role) { return role }
        return nil
    }
}

/// Who a provider's account is here: the person it was linked to, else the person with its (verified) email address,
/// else — when the provider creates people — someone new; with the role its group or role claim maps to.
enum CompanyPeople {
    /// What the claims say about the person.
    struct Identity: Sendable {
        var subject: String
        var email: String?
        var name: String?
        var language: String?
        var groups: [String]
    }

    static func identity(from claims: [String: Any], roleClaim: String?) throws -> Identity {
        guard let subject = claims["sub"] as? String, !subject.isEmpty, subject.count <= 255 else { throw OpenIDError("the ID token names no subject") }
        let verified = (claims["email_verified"] as? Bool) ?? ((claims["email_verified"] as? String).map { $0 == "true" } ?? true)
        let email = verified ? (claims["email"] as? String)?.trimmingCharacters(in: .whitespaces).lowercased() : nil
        let given = [claims["given_name"], claims["family_name"]].compactMap { $0 as? String }.joined(separator: " ")
        let name = (claims["name"] as? String) ?? (given.isEmpty ? nil : given)
        let language = (claims["locale"] as? String).map { String($0.prefix(2)).lowercased() }
        var groups: [String] = []
        if let roleClaim, let value = claims[roleClaim] {
            if let list = value as? [Any] { groups = list.compactMap { $0 as? String } } else if let one = value as? String { groups = [one] }
        }
        return Identity(subject: subject, email: email.flatMap { $0.contains("@") && $0.count <= 254 ? $0 : nil }, name: name,
                        language: language, groups: groups)
    }

    /// The person to sign in, linked to the provider's account from now on; changes of role are written to the audit log.
    static func resolve(_ identity: Identity, source: IdentitySource, now: Date, client: String, on db: any Database,
                        sql: any SQLDatabase) async throws -> UserModel {
        let provider = source
        let mapped = provider.mappedRole(identity.groups)
        var user: UserModel?
        if let linked = try await SignInProviderRepository.person(provider: provider.id, subject: identity.subject, on: sql) {
            user = try await UserModel.find(linked, on: db)
        }
        if user == nil, let email = identity.email, let known = try await UserRepository.find(email: email, on: db) {
            // A staff account is taken over by address only when the provider vouches for staff: an address at a provider
            // anyone can sign up with must not open an agent's or an admin's account.
            if (Role(rawValue: known.role) ?? .customer).isStaff, !(mapped?.isStaff ?? false) {
                throw OpenIDError("this address belongs to staff here, and the provider's groups do not say so")
            }
            user = known
        }
        if user == nil {
            guard provider.createsPeople else { throw OpenIDError("nobody here has this account's address, and this provider signs in known people only") }
            guard let email = identity.email else { throw OpenIDError("the provider sent no verified email address to create the person with") }
            guard let role = mapped ?? provider.defaultRole else { throw OpenIDError("none of the account's groups maps to a role here") }
            let domain = String(email.split(separator: "@").last ?? "")
            let organisation = role == .customer ? try await OrganisationRepository.find(domain: domain, on: db)?.id : nil
            let language = identity.language.flatMap { (try? Validate.language($0)) } ?? "en"
            let created = UserModel(email: email, name: String((identity.name ?? email).prefix(200)), role: role.rawValue, phone: nil,
                                    language: language, timeZone: "UTC", organisationID: organisation, tier: nil, passwordHash: nil,
                                    active: true, createdAt: now)
            try await created.create(on: db)
            user = created
        }
        guard let user, user.active else { throw OpenIDError("this person's account is switched off here") }
        let id = try user.requireID()
        if let mapped { try await syncRole(of: user, to: mapped, from: provider, now: now, client: client, on: db, sql: sql) }
        try await syncGroups(of: user, groups: identity.groups, from: provider, now: now, client: client, on: sql)
        try await SignInProviderRepository.link(provider: provider.id, subject: identity.subject, to: id, now: now, on: sql)
        return user
    }

    /// Keeps a staff member's mapped Casebook groups in step with their company groups, on the audit log when they change.
    static func syncGroups(of user: UserModel, groups: [String], from source: IdentitySource, now: Date, client: String,
                           on sql: any SQLDatabase) async throws {
        guard (Role(rawValue: user.role) ?? .customer).isStaff, let id = user.id,
              try await CompanyGroups.sync(id, groups: groups, map: source.groupMap, on: sql) else { return }
        try await AuditLogRepository.append(AuditEvent(id: RecordID.make(), at: now, actorID: id, actorEmail: user.email, client: client, category: .change,
                                             action: "groups from \(source.name)'s \(source.groupsLabel)", subjectType: "users",
                                             subjectID: id.uuidString.lowercased(), outcome: 200, before: nil, after: nil), on: sql)
    }

    /// Gives `user` the role their groups map to, written to the audit log when it changes.
    static func syncRole(of user: UserModel, to mapped: Role, from source: IdentitySource, now: Date, client: String, on db: any Database,
                         sql: any SQLDatabase) async throws {
        guard mapped.rawValue != user.role else { return }
        let id = try user.requireID()
        let before = user.role
        user.role = mapped.rawValue
        try await user.update(on: db)
        try await AuditLogRepository.append(AuditEvent(id: RecordID.make(), at: now, actorID: id, actorEmail: user.email, client: client, category: .change,
                                             action: "role from \(source.name)'s \(source.groupsLabel)",
                                             subjectType: "users", subjectID: id.uuidString.lowercased(), outcome: 200,
                                             before: "{\"role\":\"\(before)\"}", after: "{\"role\":\"\(mapped.rawValue)\"}"), on: sql)
    }
}
