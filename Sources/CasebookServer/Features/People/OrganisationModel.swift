import Fluent
import Foundation

/// A customer organisation.
final class OrganisationModel: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "domain") var domain: String?
    @OptionalField(key: "account_manager_id") var accountManagerID: UUID?
    @Field(key: "shares_cases") var sharesCases: Bool
    @Field(key: "seats") var seats: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, name: String, domain: String?, accountManagerID: UUID?, sharesCases: Bool, seats: Int, createdAt: Date) {
        self.id = id
        self.name = name
        self.domain = domain
        self.accountManagerID = accountManagerID
        self.sharesCases = sharesCases
        self.seats = seats
        self.createdAt = createdAt
    }
}
