import Fluent
import Foundation

/// The custom fields admins define for cases.
enum CustomFieldRepository {
    /// Every field by key.
    static func all(on db: any Database) async throws -> [CustomFieldModel] {
        try await CustomFieldModel.query(on: db).sort(\.$key).all()
    }

    static func find(key: String, on db: any Database) async throws -> CustomFieldModel? {
        try await CustomFieldModel.query(on: db).filter(\.$key == key).first()
    }
}
