import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Finds cases by reference and turns rows into the core's view of them.
enum CaseLookup {
    /// Loads a case by its reference (`CB-10423` or `10423`); unknown or malformed is 404.
    static func find(_ text: String, prefix: String, on sql: any SQLDatabase) async throws -> CaseRecord {
        guard let reference = Reference(parsing: text, defaultPrefix: prefix), reference.prefix == prefix,
              let found = try await CaseRepository.find(number: reference.number, on: sql)
        else { throw DomainError.notFound("Case \(text.prefix(40))") }
        return found
    }

    /// Like `find`, but first takes the case row's write lock (by touching `updated_at`), so what is
    /// read cannot change before this transaction commits. Callers run inside a write transaction;
    /// if they then refuse, the touch rolls back with it.
    static func findForUpdate(_ text: String, prefix: String, at now: Date, on sql: any SQLDatabase) async throws -> CaseRecord {
        guard let reference = Reference(parsing: text, defaultPrefix: prefix), reference.prefix == prefix,
              let found = try await CaseRepository.lock(number: reference.number, at: now, on: sql)
        else { throw DomainError.notFound("Case \(text.prefix(40))") }
        return found
    }

    static func facts(_ record: CaseRecord) -> CaseAccessFacts {
        CaseAccessFacts(requesterID: UserID(record.requesterID), organisationID: record.organisationID.map { OrganisationID($0) })
    }

    static func state(_ record: CaseRecord) -> CaseState {
        CaseState(
            type: record.type, subject: record.subject,
            status: record.status, priority: record.priority,
            requesterID: UserID(record.requesterID), organisationID: record.organisationID.map { OrganisationID($0) },
            productID: record.productID.map { ProductID($0) }, productVersionID: record.productVersionID.map { ProductVersionID($0) },
            categoryID: record.categoryID.map { CategoryID($0) }, assigneeID: record.assigneeID.map { UserID($0) },
            groupID: record.groupID.map { GroupID($0) }, tier: record.tier, tags: CaseCodec.tags(record.tags),
            customFields: CaseCodec.customFields(record.customFields), reopenCount: record.reopenCount)
    }

    /// Writes a core state back onto the record (not saved).
    static func apply(_ state: CaseState, to record: inout CaseRecord) {
        record.type = state.type
        record.subject = state.subject
        record.status = state.status
        record.priority = state.priority
        record.priorityRank = state.priority.rank
        record.requesterID = state.requesterID.rawValue
        record.organisationID = state.organisationID?.rawValue
        record.productID = state.productID?.rawValue
        record.productVersionID = state.productVersionID?.rawValue
        record.categoryID = state.categoryID?.rawValue
        record.assigneeID = state.assigneeID?.rawValue
        record.groupID = state.groupID?.rawValue
        record.tier = state.tier
        record.tags = CaseCodec.encode(state.tags)
        record.customFields = CaseCodec.encode(state.customFields)
        record.reopenCount = state.reopenCount
    }
}

extension Request {
    /// The case named by the `reference` path parameter, when the caller may read it (anyone else's is 404).
    func readableCase() async throws -> CaseRecord {
        let reference = try parameters.require("reference")
        let record = try await CaseLookup.find(reference, prefix: casebook.configuration.referencePrefix, on: store.sql)
        try authorize(.readCase(CaseLookup.facts(record)), notFound: "Case \(reference)")
        return record
    }

    /// Whether the caller may see internal notes and internal timeline entries.
    var seesInternal: Bool {
        get throws { AccessPolicy.decide(.readInternal, for: try actor) == .allowed }
    }
}
