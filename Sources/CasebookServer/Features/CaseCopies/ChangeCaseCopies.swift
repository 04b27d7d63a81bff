import CasebookCore
import Fluent
import SQLKit
import Foundation

/// Copies someone on a case's public replies (CC), or stops; each change is on the case's internal timeline.
struct ChangeCaseCopies {
    let services: CasebookServices

    /// Adds `address`; the name is the contact's when Casebook knows them. Returns the case's copies afterwards.
    func add(reference: String, address: String, name: String?, by current: CurrentActor, on db: any Database) async throws -> [CaseCopy] {
        let sql = services.store.sql(db)
        let now = services.clock()
        let record = try await lockedCase(reference, by: current, at: now, on: sql)
        let email = try Validate.email(address, field: "address")
        let known = try await CaseChoiceRepository.person(email: email, on: sql)
        if known?.id == record.requesterID { throw DomainError.invalid("address", "is the requester's, who receives every reply already") }
        let typed = name?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)
        let copies = try await CaseCopyRepository.copies(of: record.id, on: sql)
        guard !copies.contains(where: { $0.address == email.lowercased() }) else { return copies }
        guard copies.count < CaseCopyRepository.limit else {
            throw DomainError.invalid("address", "would be copy number \(copies.count + 1); a case copies at most \(CaseCopyRepository.limit) people")
        }
        _ = try await CaseCopyRepository.add(record.id, address: email, name: known?.name ?? typed.flatMap { $0.isEmpty ? nil : String($0) },
                                             by: current.user.id, at: now, on: sql)
        try await note(record.id, old: nil, new: email.lowercased(), by: current, at: now, on: sql)
        return try await CaseCopyRepository.copies(of: record.id, on: sql)
    }

    /// Stops copying `address`; asking for one that is not copied is a 404, so a typo is noticed.
    func remove(reference: String, address: String, by current: CurrentActor, on db: any Database) async throws {
        let sql = services.store.sql(db)
        let now = services.clock()
        let record = try await lockedCase(reference, by: current, at: now, on: sql)
        guard try await CaseCopyRepository.remove(record.id, address: address, on: sql) else {
            throw DomainError.notFound("A copy to \(address.prefix(320)) on \(reference)")
        }
        try await note(record.id, old: address.lowercased(), new: nil, by: current, at: now, on: sql)
    }

    /// Staff who may change the case; the row lock orders this change among the case's others.
    private func lockedCase(_ reference: String, by current: CurrentActor, at now: Date, on sql: any SQLDatabase) async throws -> CaseRecord {
        let record = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: now, on: sql)
        switch AccessPolicy.decide(.updateCase(CaseLookup.facts(record)), for: current.actor) {
        case .allowed: break
        case .forbidden: throw DomainError.forbidden("You may not change who is copied on this case.")
        case .hidden: throw DomainError.notFound("Case \(reference)")
        }
        guard current.actor.role.isStaff else { throw DomainError.forbidden("Only staff change who is copied on a case.") }
        return record
    }

    private func note(_ caseID: UUID, old: String?, new: String?, by current: CurrentActor, at now: Date, on sql: any SQLDatabase) async throws {
        var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .fieldChanged, visibility: .internal, field: "cc", old: old, new: new)
        try await timeline.write(on: sql)
    }
}
