import Fluent
import Foundation

/// Anyone Casebook knows: customers (contacts), agents, account managers and admins.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "language") var language: String
    @Field(key: "time_zone") var timeZone: String
    /// The languages this person writes well (comma-separated codes); nil or empty means their profile's language.
    @OptionalField(key: "writes_languages") var writesLanguages: String?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "tier") var tier: Int?
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(
        id: UUID? = nil, email: String, name: String, role: String, phone: String?, language: String, timeZone: String,
        organisationID: UUID?, tier: Int?, passwordHash: String?, active: Bool, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.phone = phone
        self.language = language
        self.timeZone = timeZone
        self.organisationID = organisationID
        self.tier = tier
        self.passwordHash = passwordHash
        self.active = active
        self.createdAt = createdAt
    }
}
