import CasebookCore
import Fluent
import Foundation

/// Finds cases by reference and turns rows into the core's view of them.
enum CaseLookup {
    /// Loads a case by its reference (`CB-10423` or `10423`); unknown or malformed is 404.
    static func find(_ text: String, prefix: String, on db: any Database) async throws -> CaseModel {
        guard let reference = Reference(parsing: text, defaultPrefix: prefix), reference.prefix == prefix,
              let found = try await CaseModel.query(on: db).filter(\.$number == reference.number).first()
        else { throw Problem.notFound("Case \(text.prefix(40))") }
        return found
    }

    static func facts(_ model: CaseModel) -> CaseAccessFacts {
        CaseAccessFacts(requesterID: UserID(model.requesterID), organisationID: model.organisationID.map { OrganisationID($0) })
    }

    static func state(_ model: CaseModel) -> CaseState {
        CaseState(
            type: CaseType(rawValue: model.type) ?? .incident, subject: model.subject,
            status: CaseStatus(rawValue: model.status) ?? .open, priority: Priority(rawValue: model.priority) ?? .normal,
            requesterID: UserID(model.requesterID), organisationID: model.organisationID.map { OrganisationID($0) },
            productID: model.productID.map { ProductID($0) }, productVersionID: model.productVersionID.map { ProductVersionID($0) },
            categoryID: model.categoryID.map { CategoryID($0) }, assigneeID: model.assigneeID.map { UserID($0) },
            groupID: model.groupID.map { GroupID($0) }, tier: model.tier, tags: CaseCodec.tags(model.tags),
            customFields: CaseCodec.customFields(model.customFields), reopenCount: model.reopenCount)
    }

    /// Writes a core state back onto the row (not saved).
    static func apply(_ state: CaseState, to model: CaseModel) {
        model.type = state.type.rawValue
        model.subject = state.subject
        model.status = state.status.rawValue
        model.priority = state.priority.rawValue
        model.priorityRank = state.priority.rank
        model.requesterID = state.requesterID.rawValue
        model.organisationID = state.organisationID?.rawValue
        model.productID = state.productID?.rawValue
        model.productVersionID = state.productVersionID?.rawValue
        model.categoryID = state.categoryID?.rawValue
        model.assigneeID = state.assigneeID?.rawValue
        model.groupID = state.groupID?.rawValue
        model.tier = state.tier
        model.tags = CaseCodec.encode(state.tags)
        model.customFields = CaseCodec.encode(state.customFields)
        model.reopenCount = state.reopenCount
    }

    static func customFieldDefinitions(on db: any Database) async throws -> [CustomFieldDefinition] {
        try await CustomFieldModel.query(on: db).filter(\.$active == true).all().map { model in
            CustomFieldDefinition(
                key: model.key, label: model.label, kind: CustomFieldKind(rawValue: model.kind) ?? .text,
                required: model.required, choices: (try? JSONDecoder().decode([String].self, from: Data(model.choices.utf8))) ?? [])
        }
    }
}
