import CasebookCore
import Vapor

/// A product with its versions.
struct ProductView: Content {
    var id: UUID
    var name: String
    var retired: Bool
    var versions: [ProductVersionView]

    init(_ model: ProductModel, versions: [ProductVersionModel]) {
        id = model.id ?? RecordID.make()
        name = model.name
        retired = model.retiredAt != nil
        self.versions = versions.map(ProductVersionView.init)
    }
}

/// One product version.
struct ProductVersionView: Content {
    var id: UUID
    var name: String
    var releasedOn: String?
    var retired: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, retired
        case releasedOn = "released_on"
    }

    init(_ model: ProductVersionModel) {
        id = model.id ?? RecordID.make()
        name = model.name
        releasedOn = model.releasedOn
        retired = model.retiredAt != nil
    }
}

/// The body of `POST /products` and `POST /products/{id}/versions`.
struct NamedRequest: Decodable, Sendable {
    var name: String
    var description: String?
    var releasedOn: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description
        case releasedOn = "released_on"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        releasedOn = try c.decodeIfPresent(String.self, forKey: .releasedOn)
    }
}

/// The body of `PATCH /products/{id}`, `PATCH /products/{id}/versions/{version}` and `PATCH /categories/{id}`:
/// only what is sent changes. Renaming changes every case's label at once; retiring keeps the entry on the cases
/// that name it and refuses it for new ones.
struct CatalogPatchRequest: Decodable, Sendable {
    var name: String?
    var description: String?
    var releasedOn: String?
    var retired: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, retired
        case releasedOn = "released_on"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        releasedOn = try c.decodeIfPresent(String.self, forKey: .releasedOn)
        retired = try c.decodeIfPresent(Bool.self, forKey: .retired)
    }

    /// Refuses members that mean nothing for this kind of entry.
    func refuse(_ fields: CodingKeys...) throws {
        for field in fields {
            let sent = switch field {
            case .name: name != nil
            case .description: description != nil
            case .releasedOn: releasedOn != nil
            case .retired: retired != nil
            }
            if sent { throw DomainError.invalid(field.rawValue, "cannot be changed here") }
        }
    }
}

/// A case category.
struct CategoryView: Content {
    var id: UUID
    var name: String
    var description: String
    var retired: Bool

    init(_ model: CategoryModel) {
        id = model.id ?? RecordID.make()
        name = model.name
        description = model.description
        retired = model.retiredAt != nil
    }
}

/// A custom field definition as stored.
struct CustomFieldView: Content {
    var id: UUID
    var key: String
    var label: String
    var kind: String
    var required: Bool
    var choices: [String]
    var active: Bool
}

/// The body of `POST /custom-fields`.
struct CustomFieldCreateRequest: Decodable, Sendable {
    var key: String
    var label: String
    var kind: CustomFieldKind
    var required: Bool?
    var choices: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case key, label, kind, required, choices
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        label = try c.decode(String.self, forKey: .label)
        kind = try c.decode(CustomFieldKind.self, forKey: .kind)
        required = try c.decodeIfPresent(Bool.self, forKey: .required)
        choices = try c.decodeIfPresent([String].self, forKey: .choices)
    }
}

/// An API token's facts (the secret itself is shown only once, in `TokenIssuedView`).
struct TokenView: Content {
    var id: UUID
    var userID: UUID
    var name: String
    var hint: String
    var createdAt: Date
    var revokedAt: Date?
    /// When and from where it was last used (kept to the quarter hour, so using a token is not a write every time).
    var lastUsedAt: Date?
    var lastUsedClient: String?

    enum CodingKeys: String, CodingKey {
        case id, name, hint
        case userID = "user_id"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
        case lastUsedClient = "last_used_client"
    }

    init(_ model: ApiTokenModel) {
        id = model.id ?? RecordID.make()
        userID = model.userID
        name = model.name
        hint = model.hint
        createdAt = model.createdAt
        revokedAt = model.revokedAt
        lastUsedAt = model.lastUsedAt
        lastUsedClient = model.lastUsedClient
    }
}

/// A newly issued token: the only time its secret is shown.
struct TokenIssuedView: Content {
    var token: String
    var details: TokenView
}

/// The body of `POST /tokens`.
struct TokenCreateRequest: Decodable, Sendable {
    var name: String?
    var userID: UUID?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case userID = "user_id"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        userID = try c.decodeIfPresent(UUID.self, forKey: .userID)
    }
}

/// The body of `POST /session`.
struct SessionCreateRequest: Decodable, Sendable {
    var email: String
    var password: String
    /// The six digits from an authenticator app, or a recovery code, for people who use a second factor.
    var code: String?
}
