import CasebookCore
import Foundation
import SQLKit

/// What anonymising a person changed.
struct AnonymiseOutcome: Codable, Sendable {
    var cases: Int
    var filesRemoved: Int

    enum CodingKeys: String, CodingKey { case cases, filesRemoved = "files_removed" }
}

/// Anonymises one customer contact on request: their cases and timelines stay (for the organisation's history and
/// the reports), but their name, address and phone number are taken out of everything, what they sent is removed,
/// their sign-in records go and the profile keeps only role, organisation, language and time zone.
struct AnonymisePerson {
    let services: CasebookServices

    func run(_ id: UUID, confirmation: String) async throws -> AnonymiseOutcome {
        let store = services.store
        let now = services.clock()
        let (outcome, files) = try await store.write { db in
            let sql = store.sql(db)
            guard let person = try await PersonDataRepository.person(id, on: sql) else { throw DomainError.notFound("Person") }
            try Self.check(person, confirmation: confirmation)
            let cases = try await PersonDataRepository.cases(of: id, on: sql)
            let open = cases.filter { ![.solved, .closed].contains($0.status) }
            guard open.isEmpty else {
                throw DomainError.conflict("\(open.count) of their cases are still open (" + open.prefix(5).map { "#\($0.number)" }.joined(separator: ", ")
                                           + "); solve or close them first.")
            }
            guard try await !RetentionRepository.anyHeld(cases.map(\.id), on: sql) else {
                throw DomainError.conflict("A legal hold covers their cases or their organisation; lift it first (Admin → Retention and legal holds).")
            }
            let data = PersonalData(names: [person.name], addresses: [person.email], phones: person.phone.map { [$0] } ?? [])
            let digests = try await PersonDataRepository.scrubCases(cases.map(\.id), of: data, personID: id, on: sql)
            try await CaseErasureRepository.markRedacted(cases.map { ($0.id, $0.number) }, reason: "person anonymised", at: now, on: sql)
            try await PersonDataRepository.anonymiseProfile(id, on: sql)
            let unused = try await StoredFileRepository.unused(digests, on: sql)
            return (AnonymiseOutcome(cases: cases.count, filesRemoved: unused.count), unused)
        }
        await ApplyRetention(services: services).removeFiles(files)
        return outcome
    }

    /// Only customers, not yet anonymised, and only when the caller repeated their address.
    static func check(_ person: PersonDataRepository.Person, confirmation: String) throws {
        guard person.role == Role.customer.rawValue else {
            throw DomainError.conflict("Only customer contacts are anonymised; switch staff accounts off instead.")
        }
        guard !PersonalData.isAnonymous(person.email) else { throw DomainError.conflict("This person is already anonymised.") }
        guard confirmation.trimmingCharacters(in: .whitespaces).lowercased() == person.email.lowercased() else {
            throw DomainError.invalid("confirm", "must be the person's address, typed again, to show this is the right person")
        }
    }
}
