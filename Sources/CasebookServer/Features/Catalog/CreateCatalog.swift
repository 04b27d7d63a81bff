import Fluent

/// Products, their versions and case categories.
struct CreateCatalog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProductModel.schema)
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(ProductVersionModel.schema)
            .id()
            .field("product_id", .uuid, .required, .references(ProductModel.schema, "id"))
            .field("name", .string, .required)
            .field("released_on", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "product_id", "name")
            .create()
        try await database.schema(CategoryModel.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CategoryModel.schema).delete()
        try await database.schema(ProductVersionModel.schema).delete()
        try await database.schema(ProductModel.schema).delete()
    }
}
