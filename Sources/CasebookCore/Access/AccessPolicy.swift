/// The facts about one case that access depends on.
public struct CaseAccessFacts: Sendable, Equatable {
    public let requesterID: UserID
    public let organisationID: OrganisationID?

    public init(requesterID: UserID, organisationID: OrganisationID?) {
        self.requesterID = requesterID
        self.organisationID = organisationID
    }
}

/// Everything someone can ask to do; the policy answers for each.
public enum AccessAction: Sendable, Equatable {
    case listCases
    case readCase(CaseAccessFacts)
    case createCase(requesterID: UserID)
    case updateCase(CaseAccessFacts)
    case addMessage(CaseAccessFacts, Visibility)
    case readInternal
    case readPeople
    case managePeople(targetRole: Role)
    case manageOrganisations
    case readCatalog
    case manageCatalog
    case manageTokens(ownerID: UserID)
    case exportData
    /// Feeding raw email in (a mail server's integration) and reprocessing what failed.
    case ingestEmail
    /// Seeing the background job queue and retrying dead jobs.
    case manageJobs
    /// Seeing calendars, SLA policies, contracts and cases' service-level clocks.
    case readServiceLevels
    /// Defining calendars, SLA policies and contracts.
    case manageServiceLevels
    /// Seeing assets, maintenance plans and work orders, parts and repairs.
    case readEquipment
    /// Recording assets, maintenance, parts and repairs (technicians are agents).
    case manageEquipment
    /// Posting monitoring alerts (an integration's token).
    case ingestAlerts
    /// Seeing team figures: satisfaction, responsiveness, volumes.
    case readReports
    /// Writing, reviewing and publishing knowledge articles.
    case writeKnowledge
    /// Recording problems, linking cases to them, releasing fixes and choosing a workaround for a customer.
    case manageProblems
    /// Writing, reviewing, approving and sending root-cause reports.
    case writeRCA
    /// Sending proactive notices to the customers running an affected version.
    case sendNotices
    /// Choosing who receives the weekly report by mail.
    case manageReports
    /// Sending events to other systems: webhooks and chat channels, their secrets and delivery logs.
    case manageIntegrations
    /// The audit log, sign-in settings and other people's sessions: who did what, and how people sign in.
    case manageSecurity
    /// Approving or returning a colleague's reply that waits for a fluent speaker's review.
    case reviewReplies
}

/// The answer for one action: `hidden` means "answer as if it does not exist" (404, not 403).
public enum AccessDecision: Sendable, Equatable {
    case allowed
    case forbidden
    case hidden
}

/// The one place Casebook decides who may do what.
public enum AccessPolicy {
    /// Decides one action for one actor.
    public static func decide(_ action: AccessAction, for actor: Actor) -> AccessDecision {
        switch actor.role {
        case .admin:
            return .allowed
        case .agent:
            return decideForAgent(action, actor: actor)
        case .accountManager:
            return decideForAccountManager(action, actor: actor)
        case .customer:
            return decideForCustomer(action, actor: actor)
        }
    }

    /// Whether a customer may see a case at all.
    public static func customerCanSee(_ facts: CaseAccessFacts, actor: Actor) -> Bool {
        if facts.requesterID == actor.userID { return true }
        guard actor.organisationSharesCases, let own = actor.organisationID else { return false }
        return facts.organisationID == own
    }

    private static func decideForAgent(_ action: AccessAction, actor: Actor) -> AccessDecision {
        switch action {
        case let .manageTokens(ownerID) where ownerID == actor.userID:
            return .allowed
        case .listCases, .readCase, .createCase, .updateCase, .addMessage, .readInternal, .readPeople,
             .manageOrganisations, .readCatalog, .readServiceLevels, .readEquipment, .manageEquipment, .ingestAlerts, .readReports,
             .writeKnowledge, .manageProblems, .writeRCA, .sendNotices, .reviewReplies:
            return .allowed
        case let .managePeople(targetRole):
            // Agents look after customers; only admins create or change staff.
            return targetRole == .customer ? .allowed : .forbidden
        case .manageCatalog, .exportData, .ingestEmail, .manageJobs, .manageServiceLevels, .manageReports, .manageIntegrations, .manageSecurity:
            return .forbidden
        case .manageTokens:
            // Issuing a token for someone else would let an agent act as them, even as an admin.
            return .forbidden
        }
    }

    private static func decideForAccountManager(_ action: AccessAction, actor: Actor) -> AccessDecision {
        switch action {
        case .listCases, .readCase, .readInternal, .readPeople, .readCatalog, .readServiceLevels, .readEquipment, .readReports:
            return .allowed
        case let .manageTokens(ownerID):
            return ownerID == actor.userID ? .allowed : .forbidden
        case .createCase, .updateCase, .addMessage, .managePeople, .manageOrganisations, .manageCatalog, .exportData, .ingestEmail, .manageJobs,
             .manageServiceLevels, .manageEquipment, .ingestAlerts, .writeKnowledge, .manageProblems, .writeRCA, .sendNotices, .manageReports, .manageIntegrations,
             .manageSecurity, .reviewReplies:
            // Account managers watch their accounts; what support writes is written by support.
            return .forbidden
        }
    }

    private static func decideForCustomer(_ action: AccessAction, actor: Actor) -> AccessDecision {
        switch action {
        case .listCases, .readCatalog:
            return .allowed
        case let .readCase(facts):
            return customerCanSee(facts, actor: actor) ? .allowed : .hidden
        case let .createCase(requesterID):
            return requesterID == actor.userID ? .allowed : .forbidden
        case let .updateCase(facts):
            return customerCanSee(facts, actor: actor) ? .forbidden : .hidden
        case let .addMessage(facts, visibility):
            guard customerCanSee(facts, actor: actor) else { return .hidden }
            return visibility == .public ? .allowed : .forbidden
        case let .manageTokens(ownerID):
            return ownerID == actor.userID ? .allowed : .forbidden
        case .readInternal, .readPeople, .managePeople, .manageOrganisations, .manageCatalog, .exportData, .ingestEmail, .manageJobs,
             .readServiceLevels, .manageServiceLevels, .readEquipment, .manageEquipment, .ingestAlerts, .readReports,
             .writeKnowledge, .manageProblems, .writeRCA, .sendNotices, .manageReports, .manageIntegrations, .manageSecurity, .reviewReplies:
            return .forbidden
        }
    }
}
