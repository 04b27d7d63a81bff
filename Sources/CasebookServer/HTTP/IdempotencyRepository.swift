import Fluent
import Foundation

/// Answers kept under an Idempotency-Key, so a repeated request is answered as the first one was.
enum IdempotencyRepository {
    static func find(key: String, userID: UUID, on db: any Database) async throws -> IdempotencyRecordModel? {
        try await IdempotencyRecordModel.query(on: db).filter(\.$userID == userID).filter(\.$key == key).first()
    }
}
