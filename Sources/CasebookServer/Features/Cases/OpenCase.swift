import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Opens a new case with its first message, timeline entries and search entries.
///
/// In two steps: `prepare` checks the request and reads everything it needs (custom fields, related records, intake,
/// the acknowledgement's recipient), and `commit` only writes. Callers that can, prepare before entering the write
/// transaction, so on SQLite the single writer spends its time writing, not reading.
struct OpenCase {
    let services: CasebookServices
    /// The team's address the case came in on (mail): the case keeps it, and goes to its group unless one is chosen.
    var mailAddress: MailAddressRecord?

    /// A checked request, ready to be written.
    struct Plan: Sendable {
        fileprivate let input: CaseCreateRequest
        fileprivate let current: CurrentActor
        fileprivate let state: CaseState
        fileprivate let description: String
        fileprivate let channel: String
        fileprivate var files: [AttachmentIntake.DecodedFile]
        fileprivate let intake: (version: IntakeRepository.Version, outcome: IntakeOutcome)?
        fileprivate let acknowledgement: CaseNotifier.Acknowledgement?
        /// The case's number when it was taken before the write (`ReferenceAllocator.ahead`).
        fileprivate var number: Int?
    }

    /// Prepares and commits in the caller's transaction.
    func run(_ input: CaseCreateRequest, by current: CurrentActor, on db: any Database) async throws -> CaseRecord {
        try await commit(try await prepare(input, by: current, on: db), on: db)
    }

    /// Checks the request and reads what the case needs; writes nothing.
    func prepare(_ input: CaseCreateRequest, by current: CurrentActor, on db: any Database) async throws -> Plan {
        let actor = current.actor
        let isStaff = actor.role.isStaff
        if !isStaff {
            for (field, isSet) in [("assignee_id", input.assigneeID != nil), ("group_id", input.groupID != nil),
                                   ("tier", input.tier != nil), ("tags", input.tags != nil),
                                   ("organisation_id", input.organisationID != nil)] where isSet {
                throw DomainError.forbidden("Customers cannot set '\(field)' on a new case.")
            }
        }
        let requesterID = input.requesterID ?? current.user.id
        switch AccessPolicy.decide(.createCase(requesterID: UserID(requesterID)), for: actor) {
        case .allowed: break
        case .forbidden, .hidden: throw DomainError.forbidden("You may not open a case for someone else.")
        }
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw DomainError.invalid("description", "must not be empty") }
        guard description.count <= 100_000 else { throw DomainError.invalid("description", "must be at most 100000 characters") }
        let files = try AttachmentIntake(services: services).decode(input.attachments)

        let sql = services.store.sql(db)
        var organisationID = input.organisationID
        if organisationID == nil {
            // The requester's organisation, read once; an unknown requester is refused below.
            if requesterID == current.user.id {
                organisationID = current.user.organisationID
            } else {
                guard let found = try await RelatedRecordRepository.organisation(of: requesterID, on: sql) else {
                    throw DomainError.invalid("requester_id", "names no known person")
                }
                organisationID = found
            }
        }
        let intake = try await checkIntake(input, requesterID: requesterID, organisationID: organisationID, files: files, isStaff: isStaff, on: sql)
        var productVersionID = input.productVersionID
        if productVersionID == nil, let intake {
            // The version the customer named in the intake becomes the case's version.
            productVersionID = intake.outcome.answers.values.lazy.compactMap { answer -> UUID? in
                if case .productVersion(let id, _) = answer { return UUID(uuidString: id) } else { return nil }
            }.first
        }
        var productID = input.productID
        if productID == nil, let versionID = productVersionID {
            productID = try await RelatedRecordRepository.product(ofVersion: versionID, on: sql)
        }
        let draft = CaseState(
            type: input.type ?? .incident, subject: input.subject, status: .new, priority: input.priority ?? .normal,
            requesterID: UserID(requesterID), organisationID: organisationID.map { OrganisationID($0) },
            productID: productID.map { ProductID($0) }, productVersionID: productVersionID.map { ProductVersionID($0) },
            categoryID: input.categoryID.map { CategoryID($0) }, assigneeID: input.assigneeID.map { UserID($0) },
            groupID: (input.groupID ?? mailAddress?.groupID).map { GroupID($0) }, tier: input.tier ?? 1, tags: input.tags ?? [],
            customFields: input.customFields ?? [:])
        let state = try CaseState.opening(draft, definitions: try await CaseRepository.customFieldDefinitions(on: sql))
        // The signed-in requester exists; everything else the case names is checked.
        try await RelatedRecords.check(state, changed: requesterID == current.user.id ? Self.referencesButRequester : nil, on: sql)
        let acknowledgement = try await CaseNotifier(services: services).planAcknowledgement(to: requesterID, cameIn: mailAddress, on: sql,
                                                                                            now: services.clock())
        return Plan(input: input, current: current, state: state, description: description,
                    channel: ((isStaff ? input.channel : nil) ?? current.defaultChannel).rawValue, files: files, intake: intake,
                    acknowledgement: acknowledgement)
    }

    /// What a checked plan can do before its write: its files go to the file store, so the write only records them
    /// (see `AttachmentIntake.keep`), and on PostgreSQL its number is taken, so the write holds no lock on the counter.
    func readied(_ plan: Plan) async throws -> Plan {
        var plan = plan
        plan.files = try await AttachmentIntake(services: services).kept(plan.files)
        plan.number = try await services.references.ahead(on: services.store)
        return plan
    }

    /// Writes the prepared case in the caller's write transaction.
    func commit(_ plan: Plan, on db: any Database) async throws -> CaseRecord {
        let (input, current, state, description, channel, files, intake) =
            (plan.input, plan.current, plan.state, plan.description, plan.channel, plan.files, plan.intake)
        let actor = current.actor
        let sql = services.store.sql(db)
        let now = services.clock()
        let number: Int
        if let taken = plan.number { number = taken } else { number = try await services.references.next(on: sql) }
        var record = CaseRecord(id: RecordID.make(), number: number, channel: channel, at: now,
                                requesterID: state.requesterID.rawValue)
        CaseLookup.apply(state, to: &record)
        var message = MessageRecord(caseID: record.id, authorID: current.user.id, visibility: Visibility.public.rawValue, channel: channel,
                                    text: description, html: input.descriptionHTML.map(HTMLSanitizer.sanitize), createdAt: now,
                                    emailMessageID: input.emailMessageID)
        CustomerTone.apply(description, role: actor.role, to: &message, case: &record)
        try await CaseRepository.insert(record, on: sql)
        if let mailAddress { try await MailAddressRepository.assign(mailAddress.id, toCase: record.id, on: sql) }
        try await CaseRepository.writeTags(state.tags, caseID: record.id, replacing: false, on: sql)
        if let intake { try await IntakeRepository.record(caseID: record.id, flowID: intake.version.id, outcome: intake.outcome, at: now, on: sql) }

        try await message.insert(on: sql)
        try await AttachmentIntake(services: services).store(files, messageID: message.id, caseID: record.id, at: now, on: sql)

        var timeline = TimelineWriter.fresh(caseID: record.id, actorID: current.user.id, at: now)
        timeline.record(kind: .created, visibility: .public, new: Reference(prefix: services.configuration.referencePrefix, number: record.number).description)
        timeline.record(kind: .message, visibility: .public, messageID: message.id)
        try await timeline.write(on: sql)
        if let assignee = record.assigneeID {
            let assigned = FieldChange(field: "assignee", oldValue: nil, newValue: assignee.uuidString, visibility: .internal)
            try await AgentNotifier(services: services).notify(CaseActivity(record: record, actorID: current.user.id, changes: [assigned]), on: sql, now: now)
        }

        try await services.store.search.addOpening(caseID: record.id, caseNumber: record.number, text: state.subject + "\n" + description, on: sql)
        if let suggestion = input.suggestionID {
            // The visitor saw suggestions and filed anyway: not a deflection.
            try await KnowledgeSuggestionRepository.markFiled(suggestion, caseID: record.id, at: now, on: sql)
        }
        if let acknowledgement = plan.acknowledgement {
            try await CaseNotifier(services: services).acknowledge(record, as: acknowledgement, firstMessageID: input.emailMessageID, on: sql, now: now)
        }
        let automated = try await RuleApplier(services: services).run([record.id], trigger: .caseCreated, on: sql, now: now)
        try await CaseClock(services: services).recompute(caseID: record.id, on: sql, now: now, isNew: true)
        if !automated.isEmpty, let changed = try await CaseRepository.find(id: record.id, on: sql) { record = changed }
        try await WebhookOutbox(services: services).caseEvent(.caseCreated, record, on: sql, now: now)
        return record
    }

    /// Checks the answers to the category's current intake flow. Customers always answer it; staff logging a case
    /// for someone may skip it, but what they send is checked the same way.
    private func checkIntake(_ input: CaseCreateRequest, requesterID: UUID, organisationID: UUID?, files: [AttachmentIntake.DecodedFile],
                             isStaff: Bool, on sql: any SQLDatabase) async throws -> (version: IntakeRepository.Version, outcome: IntakeOutcome)? {
        guard let categoryID = input.categoryID, let version = try await IntakeRepository.current(categoryID: categoryID, on: sql) else {
            if input.intakeAnswers?.isEmpty == false { throw DomainError.invalid("intake_answers", "cannot be given: the category has no intake flow") }
            return nil
        }
        guard input.intakeAnswers != nil || !isStaff else { return nil }
        let raw = input.intakeAnswers ?? [:]
        let versionKeys = Set(version.flow.questions.filter { $0.kind == .productVersion }.map(\.key))
        let labels = try await IntakeRepository.versionLabels(ids: raw.filter { versionKeys.contains($0.key) }.compactMap { UUID(uuidString: $0.value) }, on: sql)
        // The record is read only when some question is answered from it.
        let facts = version.flow.questions.contains { $0.prefill != nil }
            ? try await IntakeRepository.knownFacts(requesterID: requesterID, organisationID: organisationID, categoryID: categoryID, on: sql)
            : IntakeKnownFacts()
        var outcome = version.flow.evaluate(raw: raw, known: facts, versionLabel: { UUID(uuidString: $0).flatMap { labels[$0] } })
        let attached = Set(files.map(\.filename))
        for question in version.flow.questions where question.kind == .file {
            if case .file(let name)? = outcome.answers[question.key], !attached.contains(FileName.clean(name)) {
                outcome.errors.append(IntakeError(question.key, "names a file that is not attached"))
            }
        }
        guard outcome.errors.isEmpty else { throw DomainError.intake(outcome.errors, field: "intake_answers") }
        return (version, outcome)
    }

    static let referencesButRequester: Set<String> = ["organisation", "product", "product_version", "category", "group", "assignee"]
}
