import CasebookCore
import Foundation
import NIOCore
import NIOPosix

/// Signing in against an LDAP directory: the service account finds exactly one account for what was typed, the
/// password is checked by binding as that account, and the account's groups come from an attribute or a group search.
enum DirectorySignIn {
    /// What a directory account looks like to Casebook.
    struct Account: Sendable {
        var dn: String
        var identity: CompanyPeople.Identity
    }

    /// Why a directory could not answer (unreachable, refused the service account, a bad filter); wrong passwords are not errors.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The account `login` names whose password is `password`, or nil when there is none or the password is wrong.
    static func authenticate(login: String, password: String, against directory: Directory,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Account? {
        // An empty password is an "unauthenticated bind" that many servers accept without checking anything (RFC 4513 5.1.2).
        let login = login.trimmingCharacters(in: .whitespaces)
        guard !password.isEmpty, !login.isEmpty, login.count <= 254 else { return nil }
        return try await withServiceConnection(to: directory, group: group) { connection in
            let filter = LDAPFilter.fill(directory.userFilter, ["login": login])
            // Two is enough to tell "exactly one" from "ambiguous" without reading a whole directory.
            let entries = try await connection.search(base: directory.baseDN, filter: filter, attributes: attributes(of: directory), sizeLimit: 2)
            guard entries.count == 1, let entry = entries.first else { return nil }
            let account = try await account(from: entry, in: directory, connection: connection)
            // Bound as the person last: after this the connection no longer has the service account's rights.
            guard try await connection.bind(entry.dn, password: password) else { return nil }
            return account
        }
    }

    /// The account a linked person was linked by (an entryUUID, or a DN for servers without one), nil when it is gone.
    static func lookUp(subject: String, in directory: Directory, connection: LDAPConnection) async throws -> Account? {
        let entries: [LDAPEntry]
        if subject.contains("=") {
            entries = try await connection.search(base: subject, scope: .base, filter: "(objectClass=*)", attributes: attributes(of: directory), sizeLimit: 1)
        } else {
            entries = try await connection.search(base: directory.baseDN, filter: "(entryUUID=\(LDAPFilter.escape(subject)))",
                                                  attributes: attributes(of: directory), sizeLimit: 1)
        }
        guard let entry = entries.first else { return nil }
        return try await account(from: entry, in: directory, connection: connection)
    }

    /// Connects, binds as the service account (or searches anonymously when none is set), runs `body`, and hangs up.
    static func withServiceConnection<T: Sendable>(to directory: Directory, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                                                   _ body: (LDAPConnection) async throws -> T) async throws -> T {
        guard let settings = directory.connectionSettings else { throw Failure("the URL must be ldap://host[:port] or ldaps://host[:port]") }
        let connection: LDAPConnection
        do {
            connection = try await LDAPConnection.connect(settings, group: group)
        } catch {
            throw Failure("could not reach \(settings.host):\(settings.port): \(error)")
        }
        do {
            if !directory.bindDN.isEmpty, try await !connection.bind(directory.bindDN, password: directory.bindPassword) {
                throw Failure("the directory refused the service account \(directory.bindDN)")
            }
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    private static func attributes(of directory: Directory) -> [String] {
        [directory.emailAttribute, directory.nameAttribute, "entryUUID"] + (directory.groupAttribute.map { [$0] } ?? [])
    }

    private static func account(from entry: LDAPEntry, in directory: Directory, connection: LDAPConnection) async throws -> Account {
        var groups: [String] = []
        if let attribute = directory.groupAttribute { groups += entry.all(attribute).flatMap(names) }
        if let template = directory.groupFilter, !template.isEmpty {
            let filter = LDAPFilter.fill(template, ["dn": entry.dn])
            let found = try await connection.search(base: directory.baseDN, filter: filter, attributes: ["cn"], sizeLimit: 500)
            groups += found.flatMap { names($0.dn) + $0.all("cn") }
        }
        let email = entry.first(directory.emailAttribute)?.trimmingCharacters(in: .whitespaces).lowercased()
        let identity = CompanyPeople.Identity(subject: entry.first("entryUUID")?.lowercased() ?? entry.dn, email: email.flatMap { $0.contains("@") ? $0 : nil },
                                              name: entry.first(directory.nameAttribute), language: nil, groups: groups)
        return Account(dn: entry.dn, identity: identity)
    }

    /// A group as the role map may name it: its whole DN and, for a DN, the value of its first part ("cn=Support,ou=…" → "Support").
    private static func names(_ value: String) -> [String] {
        guard let first = value.split(separator: ",").first, let equals = first.firstIndex(of: "=") else { return [value] }
        return [value, String(first[first.index(after: equals)...]).trimmingCharacters(in: .whitespaces)]
    }
}
