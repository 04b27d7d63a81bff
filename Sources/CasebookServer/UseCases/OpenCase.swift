import CasebookCore
import Fluent
import Foundation

/// Opens a new case with its first message, timeline entries and search entries.
struct OpenCase {
    let services: CasebookServices

    func run(_ input: CaseCreateRequest, by current: CurrentActor, on db: any Database) async throws -> CaseModel {
        let actor = current.actor
        let isStaff = actor.role.isStaff
        if !isStaff {
            for (field, isSet) in [("assignee_id", input.assigneeID != nil), ("group_id", input.groupID != nil),
                                   ("tier", input.tier != nil), ("tags", input.tags != nil),
                                   ("organisation_id", input.organisationID != nil)] where isSet {
                throw Problem.forbidden("Customers cannot set '\(field)' on a new case.")
            }
        }
        let requesterID = input.requesterID ?? current.user.id
        switch AccessPolicy.decide(.createCase(requesterID: UserID(requesterID)), for: actor) {
        case .allowed: break
        case .forbidden, .hidden: throw Problem.forbidden("You may not open a case for someone else.")
        }
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw Problem.invalid("description", "must not be empty") }
        guard description.count <= 100_000 else { throw Problem.invalid("description", "must be at most 100000 characters") }

        var organisationID = input.organisationID
        if organisationID == nil, let requester = try await UserModel.find(requesterID, on: db) {
            organisationID = requester.organisationID
        }
        var productID = input.productID
        if productID == nil, let versionID = input.productVersionID {
            productID = try await ProductVersionModel.find(versionID, on: db)?.productID
        }
        let draft = CaseState(
            type: input.type ?? .incident, subject: input.subject, status: .new, priority: input.priority ?? .normal,
            requesterID: UserID(requesterID), organisationID: organisationID.map { OrganisationID($0) },
            productID: productID.map { ProductID($0) }, productVersionID: input.productVersionID.map { ProductVersionID($0) },
            categoryID: input.categoryID.map { CategoryID($0) }, assigneeID: input.assigneeID.map { UserID($0) },
            groupID: input.groupID.map { GroupID($0) }, tier: input.tier ?? 1, tags: input.tags ?? [],
            customFields: input.customFields ?? [:])
        let state = try CaseState.opening(draft, definitions: try await CaseLookup.customFieldDefinitions(on: db))
        try await RelatedRecords.check(state, on: db)
        let files = try AttachmentIntake(services: services).decode(input.attachments)

        let now = services.clock()
        let model = CaseModel()
        model.id = UUID()
        model.number = try await services.references.next(on: db)
        CaseLookup.apply(state, to: model)
        model.channel = (isStaff ? input.channel : nil)?.rawValue ?? (current.viaSession ? CaseChannel.portal : CaseChannel.api).rawValue
        model.version = 1
        model.createdAt = now
        model.updatedAt = now
        try await model.create(on: db)
        let caseID = try model.requireID()
        for tag in state.tags { try await CaseTagModel(caseID: caseID, tag: tag).create(on: db) }

        let message = MessageModel(
            caseID: caseID, authorID: current.user.id, visibility: Visibility.public.rawValue, channel: model.channel,
            text: description, html: input.descriptionHTML.map(HTMLSanitizer.sanitize), createdAt: now)
        try await message.create(on: db)
        try await AttachmentIntake(services: services).store(files, messageID: try message.requireID(), caseID: caseID, at: now, on: db)

        var timeline = try await TimelineWriter.start(caseID: caseID, actorID: current.user.id, at: now, on: db)
        let reference = Reference(prefix: services.configuration.referencePrefix, number: model.number)
        try await timeline.record(kind: "created", visibility: .public, new: reference.description, on: db)
        try await timeline.record(kind: "message", visibility: .public, messageID: message.id, on: db)

        let sql = services.store.sql(db)
        try await services.store.search.add(caseID: caseID, visibility: .public, text: state.subject, on: sql)
        try await services.store.search.add(caseID: caseID, visibility: .public, text: description, on: sql)
        return model
    }
}
