import Fluent

/// Products, versions, categories and groups can be retired: kept for the cases that name them, refused for new ones.
struct AddCatalogRetirement: AsyncMigration {
    static let tables = [ProductModel.schema, ProductVersionModel.schema, CategoryModel.schema, GroupModel.schema]

    func prepare(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).field("retired_at", .datetime).update() }
    }

    func revert(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).deleteField("retired_at").update() }
    }
}
