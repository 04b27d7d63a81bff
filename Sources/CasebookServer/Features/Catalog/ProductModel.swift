import Fluent
import Foundation

/// A product the support team supports.
final class ProductModel: Model, @unchecked Sendable {
    static let schema = "products"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "created_at") var createdAt: Date
    /// When the product stopped being offered for new cases; its cases keep it.
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// A released (or planned) version of a product.
final class ProductVersionModel: Model, @unchecked Sendable {
    static let schema = "product_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "product_id") var productID: UUID
    @Field(key: "name") var name: String
    @OptionalField(key: "released_on") var releasedOn: String?
    @Field(key: "created_at") var createdAt: Date
    /// When the version stopped being offered for new cases; its cases and assets keep it.
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(id: UUID? = nil, productID: UUID, name: String, releasedOn: String?, createdAt: Date) {
        self.id = id
        self.productID = productID
        self.name = name
        self.releasedOn = releasedOn
        self.createdAt = createdAt
    }
}

/// A category cases are filed under.
final class CategoryModel: Model, @unchecked Sendable {
    static let schema = "categories"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "created_at") var createdAt: Date
    /// When the category stopped being offered for new cases; its cases keep it.
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, description: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.createdAt = createdAt
    }
}
