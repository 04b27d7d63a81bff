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
    /// Every group by name, read once on first use and kept up to date as groups are made.
    private var groups: [String: UUID]?

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
        if let known = try await UserRepository.find(email: email, on: db) {
            return (try known.requireID(), known.organisationID, (Role(rawValue: known.role) ?? .customer).isStaff)
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
        if let known = try await OrganisationRepository.find(name: name, on: db) {
            organisations[name] = try known.requireID()
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
        if groups == nil { groups = try await GroupMembershipRepository.groupIDsByName(on: sql) }
        if let id = groups?[name] { return id }
        let model = GroupModel(name: name, tier: 1, description: "Imported", createdAt: now)
        try await model.create(on: db)
        let id = try model.requireID()
        groups?[name] = id
        return id
    }

    /// A usable address: the person's own, or one made from their name for systems that allow people without one.
    static func address(_ person: ImportedPerson, source: String) -> String {
        if let email = try? Validate.email(person.email) { return email }
        let local = person.name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        return (local.isEmpty ? "someone" : String(String.UnicodeScalarView(local))) + "@" + source + ".invalid"
    }
}
