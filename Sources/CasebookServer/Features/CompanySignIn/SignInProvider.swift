import CasebookCore
import Foundation

/// An OpenID Connect provider people sign in with (Microsoft Entra ID, Google, Keycloak, Authentik, …).
struct SignInProvider: Sendable, Equatable {
    var id: UUID
    var name: String
    /// The issuer URL; `/.well-known/openid-configuration` under it describes the rest.
    var issuer: String
    var clientID: String
    var clientSecret: String
    var scopes: String
    var roleClaim: String?
    /// Claim value → Casebook role; the strongest match wins (admin before agent …).
    var roleMap: [String: Role]
    var defaultRole: Role?
    var createsPeople: Bool
    var active: Bool
    var createdAt: Date
    var updatedAt: Date
    /// Claim value → Casebook group name, for staff.
    var groupMap: [String: String] = [:]

    var source: IdentitySource {
        IdentitySource(id: id, name: name, groupsLabel: (roleClaim ?? "groups") + " claim", roleMap: roleMap, groupMap: groupMap,
                       defaultRole: defaultRole, createsPeople: createsPeople)
    }
}
