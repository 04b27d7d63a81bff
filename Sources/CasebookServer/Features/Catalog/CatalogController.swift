import CasebookCore
import Fluent
import Vapor

/// `/products`, `/products/{id}/versions` and `/categories`: added, renamed and retired by admins.
struct CatalogController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("products", use: products)
        routes.post("products", use: createProduct)
        routes.patch("products", ":id", use: updateProduct)
        routes.post("products", ":id", "versions", use: createVersion)
        routes.patch("products", ":id", "versions", ":version", use: updateVersion)
        routes.get("categories", use: categories)
        routes.post("categories", use: createCategory)
        routes.patch("categories", ":id", use: updateCategory)
    }

    @Sendable func products(req: Request) async throws -> [ProductView] {
        try req.authorize(.readCatalog)
        return try await CatalogRepository.productsWithVersions(on: req.db).map { ProductView($0.product, versions: $0.versions) }
    }

    @Sendable func createProduct(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(NamedRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            try await Self.refuseTakenName(ProductModel.self, name, kind: "A product", on: db)
            let product = ProductModel(name: name, createdAt: now)
            try await product.create(on: db)
            return ProductView(product, versions: [])
        }
    }

    @Sendable func updateProduct(req: Request) async throws -> ProductView {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The product") }
        let input = try req.content.decode(CatalogPatchRequest.self)
        try input.refuse(.description, .releasedOn)
        let now = req.now
        return try await req.store.write { db in
            guard let product = try await ProductModel.find(id, on: db) else { throw Problem.notFound("The product") }
            try await Self.change(product, name: input.name, retired: input.retired, kind: "A product", now: now, on: db)
            try await product.update(on: db)
            return ProductView(product, versions: try await CatalogRepository.versions(of: id, on: db))
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
            try Self.checkReleaseDate(input.releasedOn)
            try await Self.refuseTakenVersion(name, productID: productID, on: db)
            let version = ProductVersionModel(productID: productID, name: name, releasedOn: input.releasedOn, createdAt: now)
            try await version.create(on: db)
            return ProductVersionView(version)
        }
    }

    @Sendable func updateVersion(req: Request) async throws -> ProductVersionView {
        try req.authorize(.manageCatalog)
        guard let productID = req.parameters.get("id", as: UUID.self), let id = req.parameters.get("version", as: UUID.self) else {
            throw Problem.notFound("The product version")
        }
        let input = try req.content.decode(CatalogPatchRequest.self)
        try input.refuse(.description)
        try Self.checkReleaseDate(input.releasedOn)
        let now = req.now
        return try await req.store.write { db in
            guard let version = try await ProductVersionModel.find(id, on: db), version.productID == productID else {
                throw Problem.notFound("The product version")
            }
            if let name = input.name {
                version.name = try Validate.name(name, field: "name", max: 64)
                try await Self.refuseTakenVersion(version.name, productID: productID, except: id, on: db)
            }
            if let released = input.releasedOn { version.releasedOn = released }
            version.retiredAt = Self.retirement(version.retiredAt, retired: input.retired, now: now)
            try await version.update(on: db)
            return ProductVersionView(version)
        }
    }

    @Sendable func categories(req: Request) async throws -> [CategoryView] {
        try req.authorize(.readCatalog)
        return try await CatalogRepository.categories(on: req.db).map(CategoryView.init)
    }

    @Sendable func createCategory(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(NamedRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            try await Self.refuseTakenName(CategoryModel.self, name, kind: "A category", on: db)
            let category = CategoryModel(name: name, description: try Self.description(input.description), createdAt: now)
            try await category.create(on: db)
            return CategoryView(category)
        }
    }

    @Sendable func updateCategory(req: Request) async throws -> CategoryView {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The category") }
        let input = try req.content.decode(CatalogPatchRequest.self)
        try input.refuse(.releasedOn)
        let now = req.now
        return try await req.store.write { db in
            guard let category = try await CategoryModel.find(id, on: db) else { throw Problem.notFound("The category") }
            try await Self.change(category, name: input.name, retired: input.retired, kind: "A category", now: now, on: db)
            if let description = input.description { category.description = try Self.description(description) }
            try await category.update(on: db)
            return CategoryView(category)
        }
    }

    // MARK: Rules shared by adding and changing

    static func description(_ text: String?) throws -> String {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= 2_000 else { throw Problem.invalid("description", "must be at most 2000 characters") }
        return trimmed
    }

    static func checkReleaseDate(_ released: String?) throws {
        if let released, ISO8601Parsing.date(released) == nil { throw Problem.invalid("released_on", "must be a date as YYYY-MM-DD") }
    }

    /// Renames (keeping names unique) and retires or brings back a product, category or group.
    static func change<M: CatalogEntry>(_ entry: M, name: String?, retired: Bool?, kind: String, now: Date, on db: any Database) async throws {
        if let name {
            entry.name = try Validate.name(name, field: "name")
            try await refuseTakenName(M.self, entry.name, except: entry.id, kind: kind, on: db)
        }
        entry.retiredAt = retirement(entry.retiredAt, retired: retired, now: now)
    }

    /// When an entry was retired after a change: retiring again keeps the first date; bringing it back clears it.
    static func retirement(_ current: Date?, retired: Bool?, now: Date) -> Date? {
        guard let retired else { return current }
        return retired ? (current ?? now) : nil
    }

    /// Names stay unique among products, categories and groups, so a picker never shows two alike.
    static func refuseTakenName<M: Model>(_ type: M.Type, _ name: String, except id: UUID? = nil, kind: String,
                                          on db: any Database) async throws where M.IDValue == UUID {
        let taken = try await CatalogRepository.entries(type, named: name, on: db)
        if taken.contains(where: { $0.id != id }) { throw Problem.conflict("\(kind) named '\(name)' already exists.") }
    }

    private static func refuseTakenVersion(_ name: String, productID: UUID, except id: UUID? = nil, on db: any Database) async throws {
        let taken = try await CatalogRepository.versions(named: name, of: productID, on: db)
        if taken.contains(where: { $0.id != id }) { throw Problem.conflict("Version '\(name)' already exists for this product.") }
    }
}

/// A catalogue entry that can be renamed and retired: products, categories and groups.
protocol CatalogEntry: Model where IDValue == UUID {
    var name: String { get set }
    var retiredAt: Date? { get set }
}

extension ProductModel: CatalogEntry {}
extension CategoryModel: CatalogEntry {}
extension GroupModel: CatalogEntry {}
