import CasebookCore
import Foundation
import Vapor

/// `/sign-in-providers`: the OpenID Connect providers the sign-in page offers (admins). The client secret is taken,
/// never shown back.
struct SignInProviderController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let providers = routes.grouped("sign-in-providers")
        providers.get(use: list)
        providers.post(use: create)
        providers.get(":id", use: show)
        providers.patch(":id", use: update)
        providers.delete(":id", use: remove)
    }

    @Sendable func list(req: Request) async throws -> [SignInProviderView] {
        try req.authorize(.manageSecurity)
        return try await SignInProviderRepository.all(on: req.store.sql).map(SignInProviderView.init)
    }

    @Sendable func show(req: Request) async throws -> SignInProviderView {
        try req.authorize(.manageSecurity)
        return SignInProviderView(try await Self.find(req))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(SignInProviderWrite.self)
        for (field, value) in [("name", input.name), ("issuer", input.issuer), ("client_id", input.clientID), ("client_secret", input.clientSecret)]
            where value?.isEmpty ?? true { throw Problem.invalid(field, "is required") }
        let now = req.now
        let blank = SignInProvider(id: RecordID.make(), name: "", issuer: "", clientID: "", clientSecret: "", scopes: "openid email profile",
                                   roleClaim: nil, roleMap: [:], defaultRole: nil, createsPeople: false, active: true, createdAt: now, updatedAt: now)
        var provider = try input.applied(to: blank)
        if let map = input.groupMap { provider.groupMap = try await CompanyGroups.parse(map, on: req.store.sql) }
        let created = provider
        let store = req.store
        try await store.write { db in try await SignInProviderRepository.insert(created, on: store.sql(db)) }
        return try await SignInProviderView(provider).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> SignInProviderView {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(SignInProviderWrite.self)
        var provider = try input.applied(to: try await Self.find(req))
        if let map = input.groupMap { provider.groupMap = try await CompanyGroups.parse(map, on: req.store.sql) }
        provider.updatedAt = req.now
        let changed = provider
        let store = req.store
        try await store.write { db in try await SignInProviderRepository.update(changed, on: store.sql(db)) }
        return SignInProviderView(provider)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageSecurity)
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await SignInProviderRepository.delete(id, on: store.sql(db)) }
        return .noContent
    }

    private static func find(_ req: Request) async throws -> SignInProvider {
        guard let id = req.parameters.get("id", as: UUID.self), let provider = try await SignInProviderRepository.find(id, on: req.store.sql)
        else { throw Problem.notFound("The sign-in provider") }
        return provider
    }
}

/// A provider as created or changed; absent members keep their value.
struct SignInProviderWrite: Content {
    var name: String?
    var issuer: String?
    var clientID: String?
    var clientSecret: String?
    var scopes: String?
    var roleClaim: String?
    var roleMap: [String: String]?
    /// Checked against the groups here by the controller (it needs the database).
    var groupMap: [String: String]?
    var defaultRole: String?
    var createsPeople: Bool?
    var active: Bool?

    enum CodingKeys: String, CodingKey {
        case name, issuer, scopes, active
        case clientID = "client_id", clientSecret = "client_secret", roleClaim = "role_claim", roleMap = "role_map", groupMap = "group_map"
        case defaultRole = "default_role", createsPeople = "creates_people"
    }

    func applied(to provider: SignInProvider) throws -> SignInProvider {
        var result = provider
        if let name { result.name = try Validate.name(name, field: "name") }
        if let issuer {
            guard let url = URL(string: issuer), ProviderURL.isAcceptable(issuer), url.query == nil, url.fragment == nil
            else { throw Problem.invalid("issuer", "must be the provider's https issuer URL, such as https://login.example.com/realms/staff") }
            result.issuer = issuer
        }
        if let clientID { result.clientID = try Validate.name(clientID, field: "client_id", max: 500) }
        if let clientSecret, !clientSecret.isEmpty { result.clientSecret = String(clientSecret.prefix(2_000)) }
        if let scopes {
            let words = scopes.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.contains("openid"), words.allSatisfy({ $0.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "\"" } }) else {
                throw Problem.invalid("scopes", "must be space-separated scopes including openid")
            }
            result.scopes = words.joined(separator: " ")
        }
        if let roleClaim { result.roleClaim = roleClaim.isEmpty ? nil : String(roleClaim.prefix(100)) }
        if let roleMap { result.roleMap = try RoleMapInput.parse(roleMap) }
        if let defaultRole { result.defaultRole = try RoleMapInput.role(defaultRole, field: "default_role") }
        if let createsPeople { result.createsPeople = createsPeople }
        if let active { result.active = active }
        return result
    }
}

/// A provider as the API shows it: everything but the client secret.
struct SignInProviderView: Content {
    var id: UUID
    var name: String
    var issuer: String
    var clientID: String
    var clientSecretSet: Bool
    var scopes: String
    var roleClaim: String?
    var roleMap: [String: String]
    var groupMap: [String: String]
    var defaultRole: String?
    var createsPeople: Bool
    var active: Bool
    var createdAt: Date
    var updatedAt: Date

    init(_ provider: SignInProvider) {
        id = provider.id
        name = provider.name
        issuer = provider.issuer
        clientID = provider.clientID
        clientSecretSet = !provider.clientSecret.isEmpty
        scopes = provider.scopes
        roleClaim = provider.roleClaim
        roleMap = provider.roleMap.mapValues(\.rawValue)
        groupMap = provider.groupMap
        defaultRole = provider.defaultRole?.rawValue
        createsPeople = provider.createsPeople
        active = provider.active
        createdAt = provider.createdAt
        updatedAt = provider.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, issuer, scopes, active
        case clientID = "client_id", clientSecretSet = "client_secret_set", roleClaim = "role_claim", roleMap = "role_map", groupMap = "group_map"
        case defaultRole = "default_role", createsPeople = "creates_people", createdAt = "created_at", updatedAt = "updated_at"
    }
}
