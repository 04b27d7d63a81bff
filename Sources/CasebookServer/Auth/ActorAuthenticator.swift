import CasebookCore
import Fluent
import Vapor

/// Resolves who is calling from a bearer token or the browser session, and requires someone.
struct ActorAuthenticator: AsyncMiddleware {
    static let sessionKey = "casebook.user"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let (user, viaSession) = try await Self.resolveUser(request) else { throw Problem.unauthorized() }
        try await Self.sign(in: user, viaSession: viaSession, request: request)
        return try await next.respond(to: request)
    }

    static func resolveUser(_ request: Request) async throws -> (UserModel, Bool)? {
        if let bearer = request.headers.bearerAuthorization {
            let hash = TokenHasher.hash(bearer.token)
            guard let token = try await ApiTokenModel.query(on: request.db)
                .filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first() else { return nil }
            return try await activeUser(token.userID, on: request.db).map { ($0, false) }
        }
        if request.hasSession, let raw = request.session.data[sessionKey], let id = UUID(uuidString: raw) {
            return try await activeUser(id, on: request.db).map { ($0, true) }
        }
        return nil
    }

    static func sign(in user: UserModel, viaSession: Bool, request: Request) async throws {
        let role = Role(rawValue: user.role) ?? .customer
        var shares = false
        if role == .customer, let organisationID = user.organisationID {
            shares = try await OrganisationModel.find(organisationID, on: request.db)?.sharesCases ?? false
        }
        let id = try user.requireID()
        let actor = Actor(userID: UserID(id), role: role, organisationID: user.organisationID.map { OrganisationID($0) },
                          organisationSharesCases: shares)
        request.setCurrent(CurrentActor(
            actor: actor,
            user: .init(id: id, email: user.email, name: user.name, role: role, organisationID: user.organisationID),
            viaSession: viaSession))
    }

    private static func activeUser(_ id: UUID, on db: any Database) async throws -> UserModel? {
        guard let user = try await UserModel.find(id, on: db), user.active else { return nil }
        return user
    }
}
