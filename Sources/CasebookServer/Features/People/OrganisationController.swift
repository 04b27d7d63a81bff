import CasebookCore
import Fluent
import Vapor

/// `/organisations`: customer organisations and their account managers.
struct OrganisationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let organisations = routes.grouped("organisations")
        organisations.get(use: list)
        organisations.post(use: create)
        organisations.get(":id", use: show)
        organisations.patch(":id", use: update)
    }

    @Sendable func list(req: Request) async throws -> [OrganisationView] {
        try req.authorize(.readPeople)
        return try await OrganisationRepository.list(limit: 1000, on: req.db).map(OrganisationView.init)
    }

    @Sendable func show(req: Request) async throws -> OrganisationView {
        let current = try req.current
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The organisation") }
        // Customers may read their own organisation only; others do not exist for them.
        if current.actor.role == .customer {
            guard current.user.organisationID == id else { throw Problem.notFound("The organisation") }
        } else {
            try req.authorize(.readPeople)
        }
        guard let model = try await OrganisationModel.find(id, on: req.db) else { throw Problem.notFound("The organisation") }
        return OrganisationView(model)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageOrganisations)
        let input = try req.content.decode(OrganisationRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            guard let name = input.name else { throw Problem.invalid("name", "is required") }
            let model = OrganisationModel(name: try Validate.name(name, field: "name"), domain: nil, accountManagerID: nil,
                                          sharesCases: input.sharesCases ?? false, seats: 0, createdAt: now)
            try await Self.apply(input, to: model, on: db)
            guard try await OrganisationRepository.find(name: model.name, on: db) == nil else {
                throw Problem.conflict("An organisation named '\(model.name)' already exists.")
            }
            try await model.create(on: db)
            return OrganisationView(model)
        }
    }

    @Sendable func update(req: Request) async throws -> OrganisationView {
        try req.authorize(.manageOrganisations)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The organisation") }
        let input = try req.content.decode(OrganisationRequest.self)
        return try await req.store.write { db in
            guard let model = try await OrganisationModel.find(id, on: db) else { throw Problem.notFound("The organisation") }
            if let name = input.name { model.name = try Validate.name(name, field: "name") }
            try await Self.apply(input, to: model, on: db)
            try await model.update(on: db)
            return OrganisationView(model)
        }
    }

    private static func apply(_ input: OrganisationRequest, to model: OrganisationModel, on db: any Database) async throws {
        switch input.domain {
        case .absent: break
        case .null: model.domain = nil
        case let .value(domain):
            let cleaned = domain.trimmingCharacters(in: .whitespaces).lowercased()
            guard cleaned.contains("."), cleaned.count <= 253, cleaned.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw Problem.invalid("domain", "must be a mail domain such as example.com")
            }
            model.domain = cleaned
        }
        switch input.accountManagerID {
        case .absent: break
        case .null: model.accountManagerID = nil
        case let .value(id):
            guard let user = try await UserModel.find(id, on: db), let role = Role(rawValue: user.role), role.isStaff else {
                throw Problem.invalid("account_manager_id", "must name a member of staff")
            }
            model.accountManagerID = id
        }
        if let shares = input.sharesCases { model.sharesCases = shares }
        if let seats = input.seats {
            guard (0...1_000_000).contains(seats) else { throw Problem.invalid("seats", "must be between 0 and 1000000") }
            model.seats = seats
        }
    }
}
