import CasebookCore
import Fluent
import Vapor

/// `/tokens`: API tokens, shown once when issued, revocable.
struct TokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tokens", use: list)
        routes.post("tokens", use: create)
        routes.delete("tokens", ":id", use: revoke)
    }

    @Sendable func list(req: Request) async throws -> [TokenView] {
        let current = try req.current
        return try await ApiTokenRepository.list(owner: current.actor.role == .admin ? nil : current.user.id, on: req.db).map(TokenView.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let current = try req.current
        let input = try req.content.decode(TokenCreateRequest.self)
        let owner = input.userID ?? current.user.id
        try req.authorize(.manageTokens(ownerID: UserID(owner)))
        let now = req.now
        let name = try Validate.name(input.name ?? "API token", field: "name")
        return try await req.store.write { db in
            guard try await UserModel.find(owner, on: db) != nil else { throw Problem.invalid("user_id", "names no known person") }
            return try await IssueToken.run(for: owner, name: name, at: now, on: db)
        }.encodeResponse(status: .created, for: req)
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The token") }
        let now = req.now
        try await req.store.write { db in
            guard let token = try await ApiTokenModel.find(id, on: db),
                  AccessPolicy.decide(.manageTokens(ownerID: UserID(token.userID)), for: current.actor) == .allowed
            else { throw Problem.notFound("The token") }
            if token.revokedAt == nil {
                token.revokedAt = now
                try await token.update(on: db)
            }
        }
        return .noContent
    }
}

/// Issues a token for a person; shared by the API and `casebook token issue`.
enum IssueToken {
    static func run(for userID: UUID, name: String, at now: Date, on db: any Database) async throws -> TokenIssuedView {
        let issued = TokenHasher.issue()
        let model = ApiTokenModel(userID: userID, name: name, tokenHash: issued.hash, hint: issued.hint, createdAt: now)
        try await model.create(on: db)
        return TokenIssuedView(token: issued.token, details: TokenView(model))
    }
}
