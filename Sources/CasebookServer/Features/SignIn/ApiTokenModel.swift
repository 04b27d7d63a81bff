import Fluent
import Foundation

/// An API token; only its SHA-256 is kept, so a stolen database gives no usable token.
final class ApiTokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "hint") var hint: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "last_used_client") var lastUsedClient: String?

    init() {}

    init(id: UUID? = nil, userID: UUID, name: String, tokenHash: String, hint: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.name = name
        self.tokenHash = tokenHash
        self.hint = hint
        self.createdAt = createdAt
    }
}
