import CasebookCore
import Foundation
import NIOSSL
import Vapor

/// A directory as created or changed; absent members keep their value.
struct DirectoryWrite: Content {
    var name: String?
    var url: String?
    var startTLS: Bool?
    var verifyCertificates: Bool?
    var caCertificates: String?
    var bindDN: String?
    var bindPassword: String?
    var baseDN: String?
    var userFilter: String?
    var emailAttribute: String?
    var nameAttribute: String?
    var groupAttribute: String?
    var groupFilter: String?
    var roleMap: [String: String]?
    /// Checked against the groups here by the controller (it needs the database).
    var groupMap: [String: String]?
    var defaultRole: String?
    var createsPeople: Bool?
    var active: Bool?

    enum CodingKeys: String, CodingKey {
        case name, url, active
        case startTLS = "start_tls", verifyCertificates = "verify_certificates", caCertificates = "ca_certificates", bindDN = "bind_dn"
        case bindPassword = "bind_password", baseDN = "base_dn", userFilter = "user_filter", emailAttribute = "email_attribute"
        case nameAttribute = "name_attribute", groupAttribute = "group_attribute", groupFilter = "group_filter", roleMap = "role_map"
        case groupMap = "group_map", defaultRole = "default_role", createsPeople = "creates_people"
    }

    func applied(to directory: Directory) throws -> Directory {
        var result = directory
        if let name { result.name = try Validate.name(name, field: "name") }
        if let url { result.url = try Self.url(url) }
        if let startTLS { result.startTLS = startTLS }
        if let verifyCertificates { result.verifyCertificates = verifyCertificates }
        if let caCertificates { result.caCertificates = try Self.certificates(caCertificates) }
        if let bindDN { result.bindDN = try Self.text(bindDN, field: "bind_dn", max: 500) }
        if let bindPassword, !bindPassword.isEmpty { result.bindPassword = String(bindPassword.prefix(500)) }
        if let baseDN { result.baseDN = try Validate.name(baseDN, field: "base_dn", max: 500) }
        if let userFilter { result.userFilter = try Self.filter(userFilter, field: "user_filter", placeholder: "login") }
        if let emailAttribute { result.emailAttribute = try Self.attribute(emailAttribute, field: "email_attribute") ?? "mail" }
        if let nameAttribute { result.nameAttribute = try Self.attribute(nameAttribute, field: "name_attribute") ?? "cn" }
        if let groupAttribute { result.groupAttribute = try Self.attribute(groupAttribute, field: "group_attribute") }
        if let groupFilter { result.groupFilter = groupFilter.isEmpty ? nil : try Self.filter(groupFilter, field: "group_filter", placeholder: "dn") }
        if let roleMap { result.roleMap = try RoleMapInput.parse(roleMap) }
        if let defaultRole { result.defaultRole = try RoleMapInput.role(defaultRole, field: "default_role") }
        if let createsPeople { result.createsPeople = createsPeople }
        if let active { result.active = active }
        guard let settings = result.connectionSettings else { throw DomainError.invalid("url", "must be ldap://host[:port] or ldaps://host[:port]") }
        // Outside this machine, a password typed at sign-in must not cross the network in the clear.
        if !settings.implicitTLS, !settings.startTLS, !["127.0.0.1", "::1", "localhost"].contains(settings.host) {
            throw DomainError.invalid("start_tls", "must be on for ldap:// beyond this machine (or use ldaps://): passwords would cross the network in the clear")
        }
        return result
    }

    private static func url(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), ["ldap", "ldaps"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
              url.path.isEmpty || url.path == "/", url.query == nil
        else { throw DomainError.invalid("url", "must be ldap://host[:port] or ldaps://host[:port]") }
        return trimmed
    }

    private static func text(_ value: String, field: String, max: Int) throws -> String {
        guard value.count <= max, !value.contains("\0") else { throw DomainError.invalid(field, "must be at most \(max) characters") }
        return value.trimmingCharacters(in: .whitespaces)
    }

    private static func attribute(_ value: String, field: String) throws -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard trimmed.count <= 100, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ";") }) else {
            throw DomainError.invalid(field, "must be an attribute name, such as mail or memberOf")
        }
        return trimmed
    }

    /// A filter template: it must name its placeholder and be a valid RFC 4515 filter once filled.
    private static func filter(_ value: String, field: String, placeholder: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("{\(placeholder)}") else { throw DomainError.invalid(field, "must contain {\(placeholder)}") }
        do {
            _ = try LDAPFilter.encode(LDAPFilter.fill(trimmed, [placeholder: "x"]))
        } catch {
            throw DomainError.invalid(field, "is not an LDAP filter: \(error)")
        }
        return trimmed
    }

    /// PEM certificates to trust, checked; nil when empty.
    static func certificates(_ pem: String) throws -> String? {
        let trimmed = pem.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        guard (try? NIOSSLCertificate.fromPEMBytes(Array(trimmed.utf8)))?.isEmpty == false else {
            throw DomainError.invalid("ca_certificates", "must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)")
        }
        return trimmed
    }
}

/// A directory as the API shows it: everything but the service account's password.
struct DirectoryView: Content {
    var id: UUID
    var name: String
    var url: String
    var startTLS: Bool
    var verifyCertificates: Bool
    var caCertificates: String?
    var bindDN: String
    var bindPasswordSet: Bool
    var baseDN: String
    var userFilter: String
    var emailAttribute: String
    var nameAttribute: String
    var groupAttribute: String?
    var groupFilter: String?
    var roleMap: [String: String]
    var groupMap: [String: String]
    var defaultRole: String?
    var createsPeople: Bool
    var active: Bool
    var lastSyncAt: Date?
    var lastSyncResult: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ d: Directory) {
        (id, name, url, startTLS, verifyCertificates, caCertificates) = (d.id, d.name, d.url, d.startTLS, d.verifyCertificates, d.caCertificates)
        (bindDN, bindPasswordSet, baseDN, userFilter) = (d.bindDN, !d.bindPassword.isEmpty, d.baseDN, d.userFilter)
        (emailAttribute, nameAttribute, groupAttribute, groupFilter) = (d.emailAttribute, d.nameAttribute, d.groupAttribute, d.groupFilter)
        (roleMap, defaultRole, createsPeople, active) = (d.roleMap.mapValues(\.rawValue), d.defaultRole?.rawValue, d.createsPeople, d.active)
        (lastSyncAt, lastSyncResult, createdAt, updatedAt) = (d.lastSyncAt, d.lastSyncResult, d.createdAt, d.updatedAt)
        groupMap = d.groupMap
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, active
        case startTLS = "start_tls", verifyCertificates = "verify_certificates", caCertificates = "ca_certificates", bindDN = "bind_dn"
        case bindPasswordSet = "bind_password_set", baseDN = "base_dn", userFilter = "user_filter", emailAttribute = "email_attribute"
        case nameAttribute = "name_attribute", groupAttribute = "group_attribute", groupFilter = "group_filter", roleMap = "role_map"
        case defaultRole = "default_role", createsPeople = "creates_people", lastSyncAt = "last_sync_at", lastSyncResult = "last_sync_result"
        case createdAt = "created_at", updatedAt = "updated_at", groupMap = "group_map"
    }
}

/// Group-to-role maps as typed by an admin, shared by OpenID providers and directories.
enum RoleMapInput {
    /// Far more than any real directory maps; the limit keeps a stored setting from growing without bound.
    static let mostEntries = 200

    static func parse(_ input: [String: String]) throws -> [String: Role] {
        guard input.count <= mostEntries else { throw DomainError.invalid("role_map", "has \(input.count) entries; at most \(mostEntries)") }
        var map: [String: Role] = [:]
        for (value, role) in input {
            guard !value.isEmpty, value.count <= 512 else { throw DomainError.invalid("role_map", "group names must be 1 to 512 characters") }
            guard let known = Role(rawValue: role) else { throw DomainError.invalid("role_map", "maps '\(value)' to '\(role)', which is not a role") }
            map[value] = known
        }
        return map
    }

    static func role(_ input: String, field: String) throws -> Role? {
        guard input.isEmpty || Role(rawValue: input) != nil else { throw DomainError.invalid(field, "is not a role") }
        return Role(rawValue: input)
    }
}
