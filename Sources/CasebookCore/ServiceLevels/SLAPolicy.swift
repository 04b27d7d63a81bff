import Foundation

/// Formal SLAs come from a customer's contract; informal ones are internal targets for everyone else.
public enum SLAKind: String, Sendable, Codable, CaseIterable {
    case formal, informal
}

/// The three promises a policy can make.
public enum SLAMetric: String, Sendable, Codable, CaseIterable {
    case firstResponse = "first_response"
    case nextUpdate = "next_update"
    case resolution

    public var label: String {
        switch self {
        case .firstResponse: "First response"
        case .nextUpdate: "Next update"
        case .resolution: "Resolution"
        }
    }
}

/// Targets for one priority, in business minutes; a missing target is no promise.
public struct SLATargets: Sendable, Equatable, Codable {
    public var firstResponseMinutes: Int?
    public var nextUpdateMinutes: Int?
    public var resolutionMinutes: Int?

    public init(firstResponseMinutes: Int? = nil, nextUpdateMinutes: Int? = nil, resolutionMinutes: Int? = nil) {
        self.firstResponseMinutes = firstResponseMinutes
        self.nextUpdateMinutes = nextUpdateMinutes
        self.resolutionMinutes = resolutionMinutes
    }

    public func minutes(for metric: SLAMetric) -> Int? {
        switch metric {
        case .firstResponse: firstResponseMinutes
        case .nextUpdate: nextUpdateMinutes
        case .resolution: resolutionMinutes
        }
    }

    enum CodingKeys: String, CodingKey {
        case firstResponseMinutes = "first_response_minutes", nextUpdateMinutes = "next_update_minutes", resolutionMinutes = "resolution_minutes"
    }
}

/// Which cases a policy is for; an empty list means "any".
public struct SLAConditions: Sendable, Equatable, Codable {
    public var organisationIDs: [OrganisationID]
    public var priorities: [Priority]
    public var productIDs: [ProductID]
    public var caseTypes: [CaseType]
    public var contractLevels: [String]

    public init(organisationIDs: [OrganisationID] = [], priorities: [Priority] = [], productIDs: [ProductID] = [],
                caseTypes: [CaseType] = [], contractLevels: [String] = []) {
        self.organisationIDs = organisationIDs
        self.priorities = priorities
        self.productIDs = productIDs
        self.caseTypes = caseTypes
        self.contractLevels = contractLevels
    }

    /// How many conditions are set: a narrower policy wins over a broader one of the same rank.
    public var specificity: Int {
        [organisationIDs.isEmpty, priorities.isEmpty, productIDs.isEmpty, caseTypes.isEmpty, contractLevels.isEmpty].filter { !$0 }.count
    }

    public func matches(_ facts: SLACaseFacts) -> Bool {
        (organisationIDs.isEmpty || facts.organisationID.map(organisationIDs.contains) == true)
            && (priorities.isEmpty || priorities.contains(facts.priority))
            && (productIDs.isEmpty || facts.productID.map(productIDs.contains) == true)
            && (caseTypes.isEmpty || caseTypes.contains(facts.type))
            && (contractLevels.isEmpty || facts.contract.map { contractLevels.contains($0.level) } == true)
    }

    enum CodingKeys: String, CodingKey {
        case organisationIDs = "organisation_ids", priorities, productIDs = "product_ids", caseTypes = "case_types", contractLevels = "contract_levels"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        organisationIDs = try c.decodeIfPresent([OrganisationID].self, forKey: .organisationIDs) ?? []
        priorities = try c.decodeIfPresent([Priority].self, forKey: .priorities) ?? []
        productIDs = try c.decodeIfPresent([ProductID].self, forKey: .productIDs) ?? []
        caseTypes = try c.decodeIfPresent([CaseType].self, forKey: .caseTypes) ?? []
        contractLevels = try c.decodeIfPresent([String].self, forKey: .contractLevels) ?? []
    }
}

/// A service-level policy: when it applies, what it promises per priority, on which calendar.
public struct SLAPolicy: Sendable, Equatable {
    public let id: UUID
    public var name: String
    public var kind: SLAKind
    public var conditions: SLAConditions
    public var targets: [Priority: SLATargets]
    public var calendar: BusinessCalendar
    /// Share of a target used at which a warning is raised (e.g. 75).
    public var warnAtPercent: Int
    /// Lower ranks are tried first among informal policies.
    public var rank: Int

    public init(id: UUID, name: String, kind: SLAKind, conditions: SLAConditions = SLAConditions(), targets: [Priority: SLATargets],
                calendar: BusinessCalendar, warnAtPercent: Int = 75, rank: Int = 100) {
        self.id = id
        self.name = name
        self.kind = kind
        self.conditions = conditions
        self.targets = targets
        self.calendar = calendar
        self.warnAtPercent = warnAtPercent
        self.rank = rank
    }
}

/// A customer's support contract: its level, its dates and the formal policy it carries.
public struct ContractFacts: Sendable, Equatable {
    public let id: UUID
    public let level: String
    public let startsOn: LocalDate
    public let endsOn: LocalDate?
    public let policyID: UUID?

    public init(id: UUID, level: String, startsOn: LocalDate, endsOn: LocalDate?, policyID: UUID?) {
        self.id = id
        self.level = level
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.policyID = policyID
    }

    /// Whether the contract covers `day` (both ends inclusive).
    public func covers(_ day: LocalDate) -> Bool { day >= startsOn && (endsOn.map { day <= $0 } ?? true) }
}

/// What policy selection needs to know about a case.
public struct SLACaseFacts: Sendable, Equatable {
    public let organisationID: OrganisationID?
    public let priority: Priority
    public let productID: ProductID?
    public let type: CaseType
    /// The organisation's contract in force when the case was opened, if any.
    public let contract: ContractFacts?

    public init(organisationID: OrganisationID?, priority: Priority, productID: ProductID?, type: CaseType, contract: ContractFacts?) {
        self.organisationID = organisationID
        self.priority = priority
        self.productID = productID
        self.type = type
        self.contract = contract
    }
}

/// Chooses the policy for a case.
public enum SLAPolicySelection {
    /// The contract's formal policy when it matches; otherwise the first matching informal policy
    /// by rank, the narrower first; nil when no policy has a target for the case's priority.
    public static func choose(for facts: SLACaseFacts, among policies: [SLAPolicy]) -> SLAPolicy? {
        if let contractPolicy = facts.contract?.policyID,
           let formal = policies.first(where: { $0.id == contractPolicy && $0.kind == .formal }),
           formal.conditions.matches(facts), formal.targets[facts.priority] != nil {
            return formal
        }
        return policies
            .filter { $0.kind == .informal && $0.conditions.matches(facts) && $0.targets[facts.priority] != nil }
            .sorted { ($0.rank, -$0.conditions.specificity, $0.name) < ($1.rank, -$1.conditions.specificity, $1.name) }
            .first
    }
}
