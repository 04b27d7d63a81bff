import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Finds cases by reference and turns rows into the core's view of them.
enum CaseLookup {
    /// Loads a case by its reference (`CB-10423` or `10423`); unknown or malformed is 404.
    static func find(_ text: String, prefix: String, on sql: any SQLDatabase) async throws -> CaseRecord {
        guard let reference = Reference(parsing: text, defaultPrefix: prefix), reference.prefix == prefix,
              let found = try await CaseRows.find(number: reference.number, on: sql)
        else { throw Problem.notFound("Case \(text.prefix(40))") }
        return found
    }

    static func facts(_ record: CaseRecord) -> CaseAccessFacts {
        CaseAccessFacts(requesterID: UserID(record.requesterID), organisationID: record.organisationID.map { OrganisationID($0) })
    }

    static func state(_ record: CaseRecord) -> CaseState {
        CaseState(
            type: CaseType(rawValue: record.type) ?? .incident, subject: record.subject,
            status: CaseStatus(rawValue: record.status) ?? .open, priority: Priority(rawValue: record.priority) ?? .normal,
            requesterID: UserID(record.requesterID), organisationID: record.organisationID.map { OrganisationID($0) },
            productID: record.productID.map { ProductID($0) }, productVersionID: record.productVersionID.map { ProductVersionID($0) },
            categoryID: record.categoryID.map { CategoryID($0) }, assigneeID: record.assigneeID.map { UserID($0) },
            groupID: record.groupID.map { GroupID($0) }, tier: record.tier, tags: CaseCodec.tags(record.tags),
            customFields: CaseCodec.customFields(record.customFields), reopenCount: record.reopenCount)
    }

    /// Writes a core state back onto the record (not saved).
    static func apply(_ state: CaseState, to record: inout CaseRecord) {
        record.type = state.type.rawValue
        record.subject = state.subject
        record.status = state.status.rawValue
        record.priority = state.priority.rawValue
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

    static func customFieldDefinitions(on sql: any SQLDatabase) async throws -> [CustomFieldDefinition] {
        try await sql.select().columns("key", "label", "kind", "required", "choices").from("custom_fields")
            .where("active", .equal, true).all().map { row in
                CustomFieldDefinition(
                    key: try row.decode(column: "key", as: String.self), label: try row.decode(column: "label", as: String.self),
                    kind: CustomFieldKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .text,
                    required: try row.decode(column: "required", as: Bool.self),
                    choices: CaseCodec.tags(try row.decode(column: "choices", as: String.self)))
            }
    }
}
