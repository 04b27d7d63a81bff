import CasebookCore
import Foundation
import Vapor

/// `/directories`: the LDAP directories and Active Directory domains people sign in against with the sign-in form
/// (admins), each testable and synced on demand as well as nightly. The service account's password is never shown back.
struct DirectoryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let directories = routes.grouped("directories")
        directories.get(use: list)
        directories.post(use: create)
        directories.get(":id", use: show)
        directories.patch(":id", use: update)
        directories.delete(":id", use: remove)
        directories.post(":id", "test", use: test)
        directories.post(":id", "sync", use: sync)
    }

    @Sendable func list(req: Request) async throws -> [DirectoryView] {
        try req.authorize(.manageSecurity)
        return try await DirectoryRepository.all(on: req.store.sql).map(DirectoryView.init)
    }

    @Sendable func show(req: Request) async throws -> DirectoryView {
        try req.authorize(.manageSecurity)
        return DirectoryView(try await Self.find(req))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(DirectoryWrite.self)
        for (field, value) in [("name", input.name), ("url", input.url), ("base_dn", input.baseDN)] where value?.isEmpty ?? true {
            throw Problem.invalid(field, "is required")
        }
        let now = req.now
        let blank = Directory(id: RecordID.make(), name: "", url: "", startTLS: false, verifyCertificates: true, caCertificates: nil, bindDN: "",
                              bindPassword: "", baseDN: "", userFilter: "(|(mail={login})(uid={login}))", emailAttribute: "mail",
                              nameAttribute: "cn", groupAttribute: nil, groupFilter: nil, roleMap: [:], defaultRole: nil, createsPeople: false,
                              active: true, lastSyncAt: nil, lastSyncResult: nil, createdAt: now, updatedAt: now)
        var directory = try input.applied(to: blank)
        if let map = input.groupMap { directory.groupMap = try await CompanyGroups.parse(map, on: req.store.sql) }
        let created = directory
        let store = req.store
        try await store.write { db in try await DirectoryRepository.insert(created, on: store.sql(db)) }
        return try await DirectoryView(directory).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> DirectoryView {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(DirectoryWrite.self)
        var directory = try input.applied(to: try await Self.find(req))
        if let map = input.groupMap { directory.groupMap = try await CompanyGroups.parse(map, on: req.store.sql) }
        directory.updatedAt = req.now
        let changed = directory
        let store = req.store
        try await store.write { db in try await DirectoryRepository.update(changed, on: store.sql(db)) }
        return DirectoryView(directory)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageSecurity)
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await DirectoryRepository.delete(id, on: store.sql(db)) }
        return .noContent
    }

    /// Connects and binds as the service account; with a login, also finds that account and shows what sign-in would make of it.
    @Sendable func test(req: Request) async throws -> DirectoryTestResult {
        try req.authorize(.manageSecurity)
        let directory = try await Self.find(req)
        // The body is optional: without a login only the connection and the service account are tried.
        let login = try req.body.data == nil ? "" : req.content.decode(DirectoryTestInput.self).login?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            return try await DirectorySignIn.withServiceConnection(to: directory) { connection in
                guard !login.isEmpty else { return DirectoryTestResult(ok: true, message: "Connected and signed in as the service account.") }
                let filter = LDAPFilter.fill(directory.userFilter, ["login": login])
                let entries = try await connection.search(base: directory.baseDN, filter: filter, attributes: ["entryUUID"], sizeLimit: 2)
                guard entries.count == 1, let entry = entries.first else {
                    return DirectoryTestResult(ok: false, message: entries.isEmpty ? "Connected, but no account matches \(login)."
                                                   : "Connected, but more than one account matches \(login); sign-in needs exactly one.")
                }
                guard let account = try await DirectorySignIn.lookUp(subject: entry.dn, in: directory, connection: connection) else {
                    return DirectoryTestResult(ok: false, message: "Connected, but the account vanished while being read.")
                }
                let role = directory.source.mappedRole(account.identity.groups) ?? directory.defaultRole
                return DirectoryTestResult(ok: true, message: "Found \(account.dn).", dn: account.dn, email: account.identity.email,
                                           name: account.identity.name, groups: account.identity.groups, role: role?.rawValue)
            }
        } catch {
            return DirectoryTestResult(ok: false, message: "\(error)")
        }
    }

    @Sendable func sync(req: Request) async throws -> DirectorySync.Result {
        try req.authorize(.manageSecurity)
        return try await DirectorySync(services: req.casebook).run(try await Self.find(req))
    }

    private static func find(_ req: Request) async throws -> Directory {
        guard let id = req.parameters.get("id", as: UUID.self), let directory = try await DirectoryRepository.find(id, on: req.store.sql)
        else { throw Problem.notFound("The directory") }
        return directory
    }
}

/// An account to look up while testing a directory.
struct DirectoryTestInput: Content {
    var login: String?
}

/// What testing a directory found.
struct DirectoryTestResult: Content {
    var ok: Bool
    var message: String
    var dn: String?
    var email: String?
    var name: String?
    var groups: [String]?
    var role: String?
}
