import CasebookCore
import Fluent
import Vapor

/// `/products`, `/products/{id}/versions` and `/categories`.
struct CatalogController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("products", use: products)
        routes.post("products", use: createProduct)
        routes.post("products", ":id", "versions", use: createVersion)
        routes.get("categories", use: categories)
        routes.post("categories", use: createCategory)
    }

    @Sendable func products(req: Request) async throws -> [ProductView] {
        try req.authorize(.readCatalog)
        let products = try await ProductModel.query(on: req.db).sort(\.$name).all()
        let versions = Dictionary(grouping: try await ProductVersionModel.query(on: req.db).sort(\.$createdAt).all(), by: \.productID)
        return products.map { ProductView(id: $0.id ?? UUID(), name: $0.name, versions: (versions[$0.id ?? UUID()] ?? []).map(ProductVersionView.init)) }
    }

    @Sendable func createProduct(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(NamedRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            guard try await ProductModel.query(on: db).filter(\.$name == name).first() == nil else {
                throw Problem.conflict("A product named '\(name)' already exists.")
            }
            let product = ProductModel(name: name, createdAt: now)
            try await product.create(on: db)
            return ProductView(id: try product.requireID(), name: name, versions: [])
        }
    }

    @Sendable func createVersion(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        guard let productID = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The product") }
        let input = try req.content.decode(NamedRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            guard try await ProductModel.find(productID, on: db) != nil else { throw Problem.notFound("The product") }
            let name = try Validate.name(input.name, field: "name", max: 64)
            if let released = input.releasedOn, ISO8601Parsing.date(released) == nil {
                throw Problem.invalid("released_on", "must be a date as YYYY-MM-DD")
            }
            guard try await ProductVersionModel.query(on: db).filter(\.$productID == productID).filter(\.$name == name).first() == nil else {
                throw Problem.conflict("Version '\(name)' already exists for this product.")
            }
            let version = ProductVersionModel(productID: productID, name: name, releasedOn: input.releasedOn, createdAt: now)
            try await version.create(on: db)
            return ProductVersionView(version)
        }
    }

    @Sendable func categories(req: Request) async throws -> [CategoryView] {
        try req.authorize(.readCatalog)
        return try await CategoryModel.query(on: req.db).sort(\.$name).all()
            .map { CategoryView(id: $0.id ?? UUID(), name: $0.name, description: $0.description) }
    }

    @Sendable func createCategory(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(NamedRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            guard try await CategoryModel.query(on: db).filter(\.$name == name).first() == nil else {
                throw Problem.conflict("A category named '\(name)' already exists.")
            }
            let category = CategoryModel(name: name, description: input.description ?? "", createdAt: now)
            try await category.create(on: db)
            return CategoryView(id: try category.requireID(), name: name, description: category.description)
        }
    }
}
