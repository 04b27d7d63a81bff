import CasebookCore
import Vapor

/// A person as the API shows them (never their password hash).
struct UserView: Content {
    var id: UUID
    var email: String
    var name: String
    var role: String
    var phone: String?
    var language: String
    /// The languages this person writes replies in without review (empty: their profile's language).
    var writesLanguages: [String]
    var timeZone: String
    var organisationID: UUID?
    var tier: Int?
    var active: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, name, role, phone, language, tier, active
        case writesLanguages = "writes_languages"
        case timeZone = "time_zone"
        case organisationID = "organisation_id"
        case createdAt = "created_at"
    }

    init(_ model: UserModel) {
        id = model.id ?? RecordID.make()
        email = model.email
        name = model.name
        role = model.role
        phone = model.phone
        language = model.language
        writesLanguages = ReplyReview.listed(model.writesLanguages ?? "")
        timeZone = model.timeZone
        organisationID = model.organisationID
        tier = model.tier
        active = model.active
        createdAt = model.createdAt
    }
}

/// The body of `POST /users`.
struct UserCreateRequest: Decodable, Sendable {
    var email: String
    var name: String
    var role: Role
    var phone: String?
    var language: String?
    var writesLanguages: [String]?
    var timeZone: String?
    var organisationID: UUID?
    var tier: Int?
    var password: String?
    var groupIDs: [UUID]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case email, name, role, phone, language, tier, password
        case writesLanguages = "writes_languages"
        case timeZone = "time_zone"
        case organisationID = "organisation_id"
        case groupIDs = "group_ids"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decode(String.self, forKey: .email)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decode(Role.self, forKey: .role)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        writesLanguages = try c.decodeIfPresent([String].self, forKey: .writesLanguages)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        organisationID = try c.decodeIfPresent(UUID.self, forKey: .organisationID)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        groupIDs = try c.decodeIfPresent([UUID].self, forKey: .groupIDs)
    }

    init(email: String, name: String, role: Role, organisationID: UUID? = nil, password: String? = nil) {
        self.email = email
        self.name = name
        self.role = role
        self.organisationID = organisationID
        self.password = password
    }
}

/// An organisation as the API shows it.
struct OrganisationView: Content {
    var id: UUID
    var name: String
    var domain: String?
    var accountManagerID: UUID?
    var sharesCases: Bool
    var seats: Int
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, domain, seats
        case accountManagerID = "account_manager_id"
        case sharesCases = "shares_cases"
        case createdAt = "created_at"
    }

    init(_ model: OrganisationModel) {
        id = model.id ?? RecordID.make()
        name = model.name
        domain = model.domain
        accountManagerID = model.accountManagerID
        sharesCases = model.sharesCases
        seats = model.seats
        createdAt = model.createdAt
    }
}

/// The body of `POST /organisations` and `PATCH /organisations/{id}`.
struct OrganisationRequest: Decodable, Sendable {
    var name: String?
    var domain: PatchValue<String> = .absent
    var accountManagerID: PatchValue<UUID> = .absent
    var sharesCases: Bool?
    var seats: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, domain, seats
        case accountManagerID = "account_manager_id"
        case sharesCases = "shares_cases"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        domain = try c.decodePatch(String.self, forKey: .domain)
        accountManagerID = try c.decodePatch(UUID.self, forKey: .accountManagerID)
        sharesCases = try c.decodeIfPresent(Bool.self, forKey: .sharesCases)
        seats = try c.decodeIfPresent(Int.self, forKey: .seats)
    }

}

/// A support group.
struct GroupView: Content {
    var id: UUID
    var name: String
    var tier: Int
    var description: String
    var retired: Bool
    var memberIDs: [UUID]

    enum CodingKeys: String, CodingKey {
        case id, name, tier, description, retired
        case memberIDs = "member_ids"
    }

    init(_ model: GroupModel, memberIDs: [UUID]) {
        id = model.id ?? RecordID.make()
        name = model.name
        tier = model.tier
        description = model.description
        retired = model.retiredAt != nil
        self.memberIDs = memberIDs.sorted { $0.uuidString < $1.uuidString }
    }
}

/// The body of `POST /groups`.
struct GroupCreateRequest: Decodable, Sendable {
    var name: String
    var tier: Int?
    var description: String?
    var memberIDs: [UUID]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, tier, description
        case memberIDs = "member_ids"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        memberIDs = try c.decodeIfPresent([UUID].self, forKey: .memberIDs)
    }
}

/// The body of `PATCH /groups/{id}`: only what is sent changes; `member_ids` replaces the whole membership.
struct GroupPatchRequest: Decodable, Sendable {
    var name: String?
    var tier: Int?
    var description: String?
    var memberIDs: [UUID]?
    var retired: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, tier, description, retired
        case memberIDs = "member_ids"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        memberIDs = try c.decodeIfPresent([UUID].self, forKey: .memberIDs)
        retired = try c.decodeIfPresent(Bool.self, forKey: .retired)
    }
}

/// The body of `PATCH /users/{id}`: only the members sent change; null clears an optional one.
struct UserPatchRequest: Decodable, Sendable {
    var name: String?
    var role: Role?
    var phone: PatchValue<String> = .absent
    var language: String?
    var writesLanguages: [String]?
    var timeZone: String?
    var organisationID: PatchValue<UUID> = .absent
    var tier: Int?
    var active: Bool?
    var password: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, role, phone, language, tier, active, password
        case writesLanguages = "writes_languages"
        case timeZone = "time_zone"
        case organisationID = "organisation_id"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        role = try c.decodeIfPresent(Role.self, forKey: .role)
        phone = try c.decodePatch(String.self, forKey: .phone)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        writesLanguages = try c.decodeIfPresent([String].self, forKey: .writesLanguages)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        organisationID = try c.decodePatch(UUID.self, forKey: .organisationID)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
        password = try c.decodeIfPresent(String.self, forKey: .password)
    }

    /// Members a person may change on their own record.
    var onlyPersonalDetails: Bool {
        role == nil && organisationID.isAbsent && tier == nil && active == nil
    }
}

extension PatchValue {
    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}
