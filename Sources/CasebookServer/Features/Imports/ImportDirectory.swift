import CasebookCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Finds or makes the people, organisations, groups and custom fields an imported ticket names, inside the ticket's
/// transaction.
struct ImportDirectory {
    let db: any Database
    let sql: any SQLDatabase
    let now: Date
    /// Answers found in this transaction and, carried in, by the batches committed before it: an import names the same
    /// people and organisations again and again, and looking each up (and checking its address) was a tenth of the work.
    private(set) var memory: Memory
    private var people: [String: Memory.Person] {
        get { memory.people }
        set { memory.people = newValue }
    }
    private var organisations: [String: UUID] {
        get { memory.organisations }
        set { memory.organisations = newValue }
    }
    /// Every group by name, read once on first use and kept up to date as groups are made.
    private var groups: [String: UUID]?
    /// Every custom field by key, read once on first use; nil for a field an admin switched off.
    private var fields: [String: CustomFieldDefinition?]?

    /// What earlier batches of one import found, committed; handed to the next batch's directory. A batch that rolls
    /// back hands nothing on, so nothing here names a row that is not there.
    struct Memory: Sendable {
        typealias Person = (id: UUID, organisationID: UUID?, isStaff: Bool)
        var people: [String: Person] = [:]
        var organisations: [String: UUID] = [:]
        /// The address each imported person is known by, by what the export wrote (address and name).
        var addresses: [ImportedPerson: String] = [:]
    }

    /// What the last few runs' slices learned, by run: a run's next slice, on this instance, starts from it. Only
    /// committed answers are kept, and a run id names one run of one database, so a slice elsewhere only misses it.
    static let runMemories = NIOLockedValueBox<[(run: UUID, memory: Memory)]>([])

    static func memory(of run: UUID) -> Memory {
        runMemories.withLockedValue { kept in kept.first { $0.run == run }?.memory } ?? Memory()
    }

    static func remember(_ memory: Memory, of run: UUID) {
        runMemories.withLockedValue { kept in
            kept.removeAll { $0.run == run }
            kept.append((run, memory))
            if kept.count > 4 { kept.removeFirst() }
        }
    }

    init(db: any Database, sql: any SQLDatabase, now: Date, memory: Memory = Memory()) {
        (self.db, self.sql, self.now, self.memory) = (db, sql, now, memory)
    }

    /// The user for `person`: found by email, or made (customers with their organisation; staff as agents who sign in once
    /// an admin sets a password). Staff already here are never changed.
    mutating func user(_ person: ImportedPerson?, source: String) async throws -> (id: UUID, organisationID: UUID?, isStaff: Bool)? {
        guard let person else { return nil }
        let email = memory.addresses[person] ?? Self.address(person, source: source)
        memory.addresses[person] = email
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

    /// The custom field a ticket's field of this name goes to: the one with its key, or a new text field labelled with
    /// the name. Nil when the name makes no key, or an admin switched that field off (its values are kept in a note).
    mutating func customField(named name: String) async throws -> CustomFieldDefinition? {
        guard let key = ImportedField.key(for: name) else { return nil }
        if fields == nil {
            fields = Dictionary(try await CustomFieldRepository.all(on: db).map { model in
                (model.key, model.active ? CustomFieldDefinition(key: model.key, label: model.label, kind: CustomFieldKind(rawValue: model.kind) ?? .text,
                                                                 required: model.required, choices: CaseCodec.tags(model.choices)) : nil)
            }, uniquingKeysWith: { first, _ in first })
        }
        if let known = fields?[key] { return known }
        let label = String(name.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let definition = CustomFieldDefinition(key: key, label: label.isEmpty ? key : label, kind: .text)
        try await CustomFieldModel(key: key, label: definition.label, kind: definition.kind.rawValue, required: false,
                                   choices: CaseCodec.encode([String]()), active: true, createdAt: now).create(on: db)
        fields?[key] = .some(definition)
        return definition
    }

    /// A usable address: the person's own, or one made from their name for systems that allow people without one.
    static func address(_ person: ImportedPerson, source: String) -> String {
        if let email = try? Validate.email(person.email) { return email }
        let local = person.name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        return (local.isEmpty ? "someone" : String(String.UnicodeScalarView(local))) + "@" + source + ".invalid"
    }
}
