import CasebookCore
import Fluent
import Vapor

/// `/users`: customers (contacts) and staff.
struct UserController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":id", use: show)
        users.patch(":id", use: update)
    }

    @Sendable func list(req: Request) async throws -> [UserView] {
        try req.authorize(.readPeople)
        var role: Role?
        if let asked = req.query[String.self, at: "role"] {
            guard let known = Role(rawValue: asked) else { throw Problem.badRequest("Query parameter 'role' has an unknown value.") }
            role = known
        }
        var organisationID: UUID?
        if let organisation = req.query[String.self, at: "organisation_id"] {
            guard let id = UUID(uuidString: organisation) else { throw Problem.badRequest("Query parameter 'organisation_id' must be an id.") }
            organisationID = id
        }
        return try await UserRepository.list(role: role, organisationID: organisationID, limit: 1000, on: req.db).map(UserView.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UserCreateRequest.self)
        try req.authorize(.managePeople(targetRole: input.role))
        let services = req.casebook
        let hasher = req.password
        return try await Idempotency.create(req) { db in
            UserView(try await RegisterUser(services: services, hasher: hasher).run(input, on: db))
        }
    }

    @Sendable func update(req: Request) async throws -> UserView {
        let current = try req.current
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The person") }
        let input = try req.content.decode(UserPatchRequest.self)
        let services = req.casebook
        let hasher = req.password
        let session = current.viaSession ? req.session.id : nil
        return UserView(try await req.store.write { db in
            try await ChangeUser(services: services, hasher: hasher).run(id, input, by: current, session: session, on: db)
        })
    }

    @Sendable func show(req: Request) async throws -> UserView {
        let current = try req.current
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The person") }
        // Anyone may read themselves; reading others needs the people permission.
        if id != current.user.id {
            if current.actor.role == .customer { throw Problem.notFound("The person") }
            try req.authorize(.readPeople, notFound: "The person")
        }
        guard let user = try await UserModel.find(id, on: req.db) else { throw Problem.notFound("The person") }
        return UserView(user)
    }
}
