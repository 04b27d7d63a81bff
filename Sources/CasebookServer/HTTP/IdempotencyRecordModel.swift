import Fluent
import Foundation

/// The stored answer to a create request sent with an `Idempotency-Key`, replayed on retries.
final class IdempotencyRecordModel: Model, @unchecked Sendable {
    static let schema = "idempotency_records"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "key") var key: String
    @Field(key: "request_hash") var requestHash: String
    @Field(key: "status") var status: Int
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, userID: UUID, key: String, requestHash: String, status: Int, body: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.body = body
        self.createdAt = createdAt
    }
}
