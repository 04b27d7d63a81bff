/// What a person is to Casebook; decides what they may see and do.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case agent
    case accountManager = "account_manager"
    case customer

    /// Staff work inside the support organisation and may see internal notes.
    public var isStaff: Bool { self != .customer }
}

/// The person making a request, as the access policy needs to know them.
public struct Actor: Sendable, Equatable {
    public let userID: UserID
    public let role: Role
    public let organisationID: OrganisationID?
    /// Whether the actor's organisation lets its people see each other's cases.
    public let organisationSharesCases: Bool

    public init(userID: UserID, role: Role, organisationID: OrganisationID? = nil, organisationSharesCases: Bool = false) {
        self.userID = userID
        self.role = role
        self.organisationID = organisationID
        self.organisationSharesCases = organisationSharesCases
    }
}
