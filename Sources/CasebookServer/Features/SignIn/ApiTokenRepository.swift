import Fluent
import Foundation

/// API tokens as their owners and admins list them.
enum ApiTokenRepository {
    /// Tokens oldest first: everyone's, or only one person's.
    static func list(owner: UUID?, on db: any Database) async throws -> [ApiTokenModel] {
        var query = ApiTokenModel.query(on: db)
        if let owner { query = query.filter(\.$userID == owner) }
        return try await query.sort(\.$createdAt).all()
    }
}
