import CasebookCore
import Foundation

/// An LDAP directory or Active Directory people sign in against with the sign-in form's email (or user name) and password.
struct Directory: Sendable, Equatable {
    var id: UUID
    var name: String
    var url: String
    var startTLS: Bool
    var verifyCertificates: Bool
    var caCertificates: String?
    var bindDN: String
    var bindPassword: String
    var baseDN: String
    var userFilter: String
    var emailAttribute: String
    var nameAttribute: String
    var groupAttribute: String?
    var groupFilter: String?
    var roleMap: [String: Role]
    var defaultRole: Role?
    var createsPeople: Bool
    var active: Bool
    var lastSyncAt: Date?
    var lastSyncResult: String?
    var createdAt: Date
    var updatedAt: Date
    /// Directory group (DN or name) → Casebook group name, for staff.
    var groupMap: [String: String] = [:]

    var source: IdentitySource {
        IdentitySource(id: id, name: name, groupsLabel: groupAttribute ?? "groups", roleMap: roleMap, groupMap: groupMap, defaultRole: defaultRole,
                       createsPeople: createsPeople)
    }

    /// Host, port and TLS from the URL.
    var connectionSettings: LDAPConnection.Settings? {
        guard let url = URL(string: url), let scheme = url.scheme?.lowercased(), ["ldap", "ldaps"].contains(scheme), let host = url.host else { return nil }
        return LDAPConnection.Settings(host: host, port: url.port ?? (scheme == "ldaps" ? 636 : 389), implicitTLS: scheme == "ldaps",
                                       startTLS: startTLS, verifyCertificates: verifyCertificates, caCertificates: caCertificates)
    }
}
