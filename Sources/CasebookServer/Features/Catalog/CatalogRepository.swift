import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Products, their versions and case categories: the catalogue cases are filed under.
enum CatalogRepository {
    /// Every product by name with its versions, oldest first.
    static func productsWithVersions(on db: any Database) async throws -> [(product: ProductModel, versions: [ProductVersionModel])] {
        let products = try await ProductModel.query(on: db).sort(\.$name).all()
        let versions = Dictionary(grouping: try await ProductVersionModel.query(on: db).sort(\.$createdAt).all(), by: \.productID)
        return products.map { product in (product, product.id.flatMap { versions[$0] } ?? []) }
    }

    static func versions(of productID: UUID, on db: any Database) async throws -> [ProductVersionModel] {
        try await ProductVersionModel.query(on: db).filter(\.$productID == productID).sort(\.$createdAt).all()
    }

    /// The product's versions with this name.
    static func versions(named name: String, of productID: UUID, on db: any Database) async throws -> [ProductVersionModel] {
        try await ProductVersionModel.query(on: db).filter(\.$productID == productID).filter(\.$name == name).all()
    }

    static func categories(on db: any Database) async throws -> [CategoryModel] {
        try await CategoryModel.query(on: db).sort(\.$name).all()
    }

    /// The entries of a named catalogue (products, categories, groups) that carry this name.
    static func entries<M: Model>(_ type: M.Type, named name: String, on db: any Database) async throws -> [M] {
        try await M.query(on: db).filter(.path([FieldKey("name")], schema: M.schema), .equal, .bind(name)).all()
    }

    /// A category's name; with `currentOnly`, nil for a retired one.
    static func categoryName(_ id: UUID, currentOnly: Bool, on sql: any SQLDatabase) async throws -> String? {
        var select = sql.select().column("name").from("categories").where("id", .equal, id)
        if currentOnly { select = select.where("retired_at", .is, SQLLiteral.null) }
        return try await select.first()?.decode(column: "name", as: String.self)
    }

    /// A category as the admin list shows it, with the version of its intake flow.
    struct CategorySummary: Sendable {
        let id: UUID
        let name: String
        let description: String
        let retiredAt: Date?
        let flowVersion: Int?
    }

    static func categorySummaries(on sql: any SQLDatabase) async throws -> [CategorySummary] {
        try await sql.raw("""
            SELECT c.id AS id, c.name AS name, c.description AS description, c.retired_at AS retired_at,
                   (SELECT MAX(version) FROM intake_flows f WHERE f.category_id = c.id) AS version
            FROM categories c ORDER BY c.name
            """).all().map { row in
                CategorySummary(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                description: try row.decode(column: "description", as: String.self),
                                retiredAt: try row.decode(column: "retired_at", as: Date?.self), flowVersion: try row.decode(column: "version", as: Int?.self))
            }
    }
}
