import CasebookCore
import Fluent
import Foundation
import Vapor

/// Keeps the people who signed in through a directory in step with it, nightly and on demand: someone gone from the
/// directory is switched off here and signed out everywhere; someone whose groups changed gets the role they now map to.
struct DirectorySync {
    /// What one run did.
    struct Result: Content, Equatable {
        var checked = 0
        var switchedOff = 0
        var rolesChanged = 0
        var message = ""

        enum CodingKeys: String, CodingKey {
            case checked, message
            case switchedOff = "switched_off", rolesChanged = "roles_changed"
        }
    }

    /// The actor the audit log names for what a sync does.
    static let actor = "directory sync"
    /// Above this many linked people, a directory that finds none of them is taken to be misconfigured, not emptied.
    static let emptiedGuard = 3

    let services: CasebookServices

    /// Syncs every active directory; one failing does not stop the others.
    func runAll() async throws {
        for directory in try await DirectoryRepository.all(activeOnly: true, on: services.store.sql) {
            _ = try await run(directory)
        }
    }

    /// Syncs one directory and records the outcome on it.
    func run(_ directory: Directory) async throws -> Result {
        let store = services.store
        let now = services.clock()
        var result: Result
        do {
            result = try await sync(directory, now: now)
        } catch {
            result = Result(message: "Not synced: \(error)")
        }
        let summary = result.message
        try await store.write { db in try await DirectoryRepository.noteSync(directory.id, at: now, result: summary, on: store.sql(db)) }
        return result
    }

    private func sync(_ directory: Directory, now: Date) async throws -> Result {
        let store = services.store
        let linked = try await DirectoryRepository.linkedPeople(of: directory.id, on: store.sql)
        // Look everyone up first and change nothing until the directory has answered for all of them.
        let found = try await DirectorySignIn.withServiceConnection(to: directory) { connection in
            var accounts: [UUID: DirectorySignIn.Account?] = [:]
            for person in linked { accounts[person.userID] = try await DirectorySignIn.lookUp(subject: person.subject, in: directory, connection: connection) }
            return accounts
        }
        var result = Result(checked: linked.count)
        let missing = found.filter { $0.value == nil }.map(\.key)
        if linked.count > Self.emptiedGuard, missing.count == linked.count {
            result.message = "The directory found none of the \(linked.count) people linked to it; nobody was switched off. Check the base DN."
            return result
        }
        let source = directory.source
        let checked = linked.count
        let (switchedOff, rolesChanged) = try await store.write { db -> (Int, Int) in
            let sql = store.sql(db)
            var (switchedOff, rolesChanged) = (0, 0)
            for userID in missing {
                guard let user = try await UserModel.find(userID, on: db), user.active else { continue }
                user.active = false
                try await user.update(on: db)
                try await WebSessions.end(of: userID, keeping: nil, on: sql)
                try await AuditLogRepository.append(AuditEvent(id: RecordID.make(), at: now, actorID: nil, actorEmail: Self.actor, client: directory.name,
                                                     category: .change, action: "switched off: gone from \(directory.name)", subjectType: "users",
                                                     subjectID: userID.uuidString.lowercased(), outcome: 200,
                                                     before: "{\"active\":true}", after: "{\"active\":false}"), on: sql)
                switchedOff += 1
            }
            for (userID, account) in found {
                guard let account, let user = try await UserModel.find(userID, on: db), user.active else { continue }
                if let mapped = source.mappedRole(account.identity.groups), user.role != mapped.rawValue {
                    try await CompanyPeople.syncRole(of: user, to: mapped, from: source, now: now, client: Self.actor, on: db, sql: sql)
                    rolesChanged += 1
                }
                try await CompanyPeople.syncGroups(of: user, groups: account.identity.groups, from: source, now: now, client: Self.actor, on: sql)
            }
            return (switchedOff, rolesChanged)
        }
        result = Result(checked: checked, switchedOff: switchedOff, rolesChanged: rolesChanged)
        result.message = "Checked \(result.checked), switched off \(result.switchedOff), changed \(result.rolesChanged) roles."
        return result
    }
}
