import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Finds or makes the people, organisations and groups an imported ticket names, inside the ticket's transaction.
struct ImportDirectory {
    let db: any Database
    let sql: any SQLDatabase
    let now: Date
    // Answers already found in this transaction: a batch of tickets names the same people and groups again and again.
    private var people: [String: (id: UUID, organisationID: UUID?, isStaff: Bool)] = [:]
    private var organisations: [String: UUID] = [:]
    private var groups: [String: UUID] = [:]

    init(db: any Database, sql: any SQLDatabase, now: Date) {
        (self.db, self.sql, self.now) = (db, sql, now)
    }

    /// The user for `person`: found by email, or made (customers with their organisation; staff as agents who sign in once
    /// an admin sets a password). Staff already here are never changed.
    mutating func user(_ person: ImportedPerson?, source: String) async throws -> (id: UUID, organisationID: UUID?, isStaff: Bool)? {
        guard let person else { return nil }
        let email = Self.address(person, source: source)
        if let known = people[email] { return known }
        let found = try await findOrMake(person, email: email)
        people[email] = found
        return found
    }

    private mutating func findOrMake(_ person: ImportedPerson, email: String) async throws -> (id: UUID, organisationID: UUID?, isStaff: Bool) {
        if let row = try await sql.select().columns("id", "organisation_id", "role").from("users").where("email", .equal, email).first() {
            let role = Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .customer
            return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "organisation_id", as: UUID?.self), role.isStaff)
        }
        let organisationID = person.isStaff ? nil : try await organisation(person.organisation)
        let name = (try? Validate.name(person.name, field: "name")) ?? email
        let user = UserModel(email: email, name: name, role: (person.isStaff ? Role.agent : .customer).rawValue, phone: nil, language: "en",
                             timeZone: "UTC", organisationID: organisationID, tier: person.isStaff ? 1 : nil, passwordHash: nil, active: true,
                             createdAt: now)
        try await user.create(on: db)
        return (try user.requireID(), organisationID, person.isStaff)
    }

    /// An organisation by name, made when missing.
    mutating func organisation(_ name: String?) async throws -> UUID? {
        guard let name = name.flatMap({ try? Validate.name($0, field: "organisation") }) else { return nil }
        if let known = organisations[name] { return known }
        if let row = try await sql.select().column("id").from("organisations").where("name", .equal, name).first() {
            organisations[name] = try row.decode(column: "id", as: UUID.self)
            return organisations[name]
        }
        let model = OrganisationModel(name: name, domain: nil, accountManagerID: nil, sharesCases: false, seats: 0, createdAt: now)
        try await model.create(on: db)
        organisations[name] = try model.requireID()
        return organisations[name]
    }

    /// A group by name (an RT queue, a Zendesk group), made when missing.
    mutating func group(_ name: String?) async throws -> UUID? {
        guard let name = name.flatMap({ try? Validate.name($0, field: "group") }) else { return nil }
        if let known = groups[name] { return known }
        if let row = try await sql.select().column("id").from("groups").where("name", .equal, name).first() {
            groups[name] = try row.decode(column: "id", as: UUID.self)
            return groups[name]
        }
        let model = GroupModel(name: name, tier: 1, description: "Imported", createdAt: now)
        try await model.create(on: db)
        groups[name] = try model.requireID()
        return groups[name]
    }

    /// A usable address: the person's own, or one made from their name for systems that allow people without one.
    static func address(_ person: ImportedPerson, source: String) -> String {
        if let email = try? Validate.email(person.email) { return email }
        let local = person.name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        return (local.isEmpty ? "someone" : String(String.UnicodeScalarView(local))) + "@" + source + ".invalid"
    }
}
