import Foundation

/// The editable facts of a case, as the rules see them.
public struct CaseState: Sendable, Equatable {
    public var type: CaseType
    public var subject: String
    public var status: CaseStatus
    public var priority: Priority
    public var requesterID: UserID
    public var organisationID: OrganisationID?
    public var productID: ProductID?
    public var productVersionID: ProductVersionID?
    public var categoryID: CategoryID?
    public var assigneeID: UserID?
    public var groupID: GroupID?
    public var tier: Int
    public var tags: [String]
    public var customFields: [String: FieldValue]
    public var reopenCount: Int

    public init(
        type: CaseType = .incident, subject: String, status: CaseStatus = .new, priority: Priority = .normal,
        requesterID: UserID, organisationID: OrganisationID? = nil, productID: ProductID? = nil,
        productVersionID: ProductVersionID? = nil, categoryID: CategoryID? = nil, assigneeID: UserID? = nil,
        groupID: GroupID? = nil, tier: Int = 1, tags: [String] = [], customFields: [String: FieldValue] = [:],
        reopenCount: Int = 0
    ) {
        self.type = type
        self.subject = subject
        self.status = status
        self.priority = priority
        self.requesterID = requesterID
        self.organisationID = organisationID
        self.productID = productID
        self.productVersionID = productVersionID
        self.categoryID = categoryID
        self.assigneeID = assigneeID
        self.groupID = groupID
        self.tier = tier
        self.tags = tags
        self.customFields = customFields
        self.reopenCount = reopenCount
    }

    /// Checks the facts a new case must have, returning them tidied (trimmed subject, normalised tags).
    public static func opening(_ state: CaseState, definitions: [CustomFieldDefinition]) throws(CaseRuleError) -> CaseState {
        var opened = state
        opened.subject = try CaseState.checkedSubject(state.subject)
        opened.tags = try CaseState.normalisedTags(state.tags)
        opened.tier = try CaseState.checkedTier(state.tier)
        opened.customFields = try CustomFieldValidator.merge(
            current: [:], changes: state.customFields.mapValues { Optional($0) }, definitions: definitions)
        return opened
    }

    /// Applies a patch, checking every rule, and lists what changed in order.
    public func applying(_ patch: CasePatch, definitions: [CustomFieldDefinition]) throws(CaseRuleError) -> (CaseState, [FieldChange]) {
        var next = self
        var changes: [FieldChange] = []
        func record(_ field: String, _ old: String?, _ new: String?, _ visibility: Visibility) {
            if old != new { changes.append(FieldChange(field: field, oldValue: old, newValue: new, visibility: visibility)) }
        }
        if let subject = patch.subject {
            next.subject = try CaseState.checkedSubject(subject)
            record("subject", self.subject, next.subject, .public)
        }
        if let type = patch.type {
            next.type = type
            record("type", self.type.rawValue, type.rawValue, .public)
        }
        if let status = patch.status {
            let transition = try self.status.transition(to: status)
            next.status = status
            if transition.isReopen { next.reopenCount += 1 }
            record("status", self.status.rawValue, status.rawValue, .public)
        }
        if let priority = patch.priority {
            next.priority = priority
            // How urgently the desk works on a case is the desk's triage, not something the customer is told about.
            record("priority", self.priority.rawValue, priority.rawValue, .internal)
        }
        if let value = patch.requesterID { next.requesterID = value; record("requester", self.requesterID.description, value.description, .internal) }
        if let value = patch.organisationID { next.organisationID = value; record("organisation", self.organisationID?.description, value?.description, .internal) }
        if let value = patch.productID { next.productID = value; record("product", self.productID?.description, value?.description, .public) }
        if let value = patch.productVersionID { next.productVersionID = value; record("product_version", self.productVersionID?.description, value?.description, .public) }
        if let value = patch.categoryID { next.categoryID = value; record("category", self.categoryID?.description, value?.description, .internal) }
        if let value = patch.assigneeID { next.assigneeID = value; record("assignee", self.assigneeID?.description, value?.description, .internal) }
        if let value = patch.groupID { next.groupID = value; record("group", self.groupID?.description, value?.description, .internal) }
        if let tier = patch.tier {
            next.tier = try CaseState.checkedTier(tier)
            record("tier", String(self.tier), String(next.tier), .internal)
        }
        if let tags = patch.tags {
            next.tags = try CaseState.normalisedTags(tags)
            record("tags", self.tags.joined(separator: ","), next.tags.joined(separator: ","), .internal)
        }
        if !patch.customFields.isEmpty {
            next.customFields = try CustomFieldValidator.merge(current: customFields, changes: patch.customFields, definitions: definitions)
            for key in Set(customFields.keys).union(next.customFields.keys).sorted() {
                record("custom_fields.\(key)", customFields[key]?.description, next.customFields[key]?.description, .internal)
            }
        }
        return (next, changes)
    }

    static func checkedSubject(_ subject: String) throws(CaseRuleError) -> String {
        let trimmed = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .missingField(name: "subject") }
        guard trimmed.count <= 250 else { throw .invalidField(name: "subject", reason: "is longer than 250 characters") }
        return trimmed
    }

    static func checkedTier(_ tier: Int) throws(CaseRuleError) -> Int {
        guard (1...9).contains(tier) else { throw .invalidField(name: "tier", reason: "must be between 1 and 9") }
        return tier
    }

    /// Tags are lower-case, trimmed, unique and sorted so that equal sets compare equal.
    static func normalisedTags(_ tags: [String]) throws(CaseRuleError) -> [String] {
        let cleaned = Set(tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }.filter { !$0.isEmpty })
        guard cleaned.count <= 50 else { throw .invalidField(name: "tags", reason: "holds more than 50 tags") }
        for tag in cleaned where tag.count > 64 || tag.contains(",") {
            throw .invalidField(name: "tags", reason: "holds '\(tag.prefix(70))', which is over 64 characters or contains a comma")
        }
        return cleaned.sorted()
    }
}

/// A requested change to a case; `nil` leaves a field alone, `.some(nil)` clears an optional one.
public struct CasePatch: Sendable, Equatable {
    public var type: CaseType?
    public var subject: String?
    public var status: CaseStatus?
    public var priority: Priority?
    /// Who the case is for: a case filed under the wrong person (a colleague calling for them, a shared mailbox) is moved to the right one.
    public var requesterID: UserID?
    public var organisationID: OrganisationID??
    public var productID: ProductID??
    public var productVersionID: ProductVersionID??
    public var categoryID: CategoryID??
    public var assigneeID: UserID??
    public var groupID: GroupID??
    public var tier: Int?
    public var tags: [String]?
    public var customFields: [String: FieldValue?]

    public init(
        type: CaseType? = nil, subject: String? = nil, status: CaseStatus? = nil, priority: Priority? = nil, requesterID: UserID? = nil,
        organisationID: OrganisationID?? = nil, productID: ProductID?? = nil, productVersionID: ProductVersionID?? = nil,
        categoryID: CategoryID?? = nil, assigneeID: UserID?? = nil, groupID: GroupID?? = nil, tier: Int? = nil,
        tags: [String]? = nil, customFields: [String: FieldValue?] = [:]
    ) {
        self.type = type
        self.subject = subject
        self.status = status
        self.priority = priority
        self.requesterID = requesterID
        self.organisationID = organisationID
        self.productID = productID
        self.productVersionID = productVersionID
        self.categoryID = categoryID
        self.assigneeID = assigneeID
        self.groupID = groupID
        self.tier = tier
        self.tags = tags
        self.customFields = customFields
    }
}

/// One field's change, as the timeline records it.
public struct FieldChange: Sendable, Equatable, Codable {
    public let field: String
    public let oldValue: String?
    public let newValue: String?
    public let visibility: Visibility

    enum CodingKeys: String, CodingKey {
        case field, visibility
        case oldValue = "old_value", newValue = "new_value"
    }

    public init(field: String, oldValue: String?, newValue: String?, visibility: Visibility) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.visibility = visibility
    }
}
