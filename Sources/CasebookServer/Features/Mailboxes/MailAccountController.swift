import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// `/mail-accounts`: the team's mailboxes Casebook fetches mail from (admins), each testable and fetchable on demand.
/// The password is never shown back.
struct MailAccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped("mail-accounts")
        accounts.get(use: list)
        accounts.post(use: create)
        accounts.get(":id", use: show)
        accounts.patch(":id", use: update)
        accounts.delete(":id", use: remove)
        accounts.post(":id", "test", use: test)
        accounts.post(":id", "fetch", use: fetch)
    }

    @Sendable func list(req: Request) async throws -> [MailAccountView] {
        try req.authorize(.ingestEmail)
        let now = req.now
        return try await MailAccountRepository.all(on: req.store.sql).map { MailAccountView($0, now: now) }
    }

    @Sendable func show(req: Request) async throws -> MailAccountView {
        try req.authorize(.ingestEmail)
        return MailAccountView(try await Self.find(req), now: req.now)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.ingestEmail)
        let input = try req.content.decode(MailAccountWrite.self)
        let secret = input.authentication == MailAccount.Authentication.oauth2.rawValue ? ("oauth_refresh_token", input.oauthRefreshToken) : ("password", input.password)
        for (field, value) in [("name", input.name), ("host", input.host), ("username", input.username), secret]
        where value?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw Problem.invalid(field, "is required")
        }
        let now = req.now
        let security = input.security.flatMap(MailSecurity.init(rawValue:)) ?? .tls
        let mailProtocol = input.mailProtocol.flatMap(MailAccount.MailProtocol.init(rawValue:)) ?? .imap
        let blank = MailAccount(id: RecordID.make(), name: "", mailProtocol: mailProtocol, host: "", port: MailAccount.defaultPort(mailProtocol, security),
                                security: security,
                                verifyCertificates: true, caCertificates: nil, username: "", password: nil, folder: "INBOX", afterImport: .seen,
                                moveTo: nil, firstImport: .unseen, pollSeconds: 60, active: true, uidValidity: nil, lastUID: 0, importedCount: 0,
                                failedCount: 0, lastFetchAt: nil, lastError: nil, leaseOwner: nil, leaseUntil: nil, createdAt: now, updatedAt: now)
        let account = try input.applied(to: blank)
        try await Self.checkAddress(account, on: req.store.sql)
        let store = req.store
        try await store.write { db in try await MailAccountRepository.insert(account, on: store.sql(db)) }
        return try await MailAccountView(account, now: now).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> MailAccountView {
        try req.authorize(.ingestEmail)
        let input = try req.content.decode(MailAccountWrite.self)
        let before = try await Self.find(req)
        var account = try input.applied(to: before)
        account.updatedAt = req.now
        try await Self.checkAddress(account, on: req.store.sql)
        // Another server or folder has other UIDs: fetching starts afresh there (stored mail is recognised and not applied twice).
        let moved = account.host != before.host || account.port != before.port || account.folder != before.folder || account.username != before.username
        let changed = account
        let store = req.store
        try await store.write { db in try await MailAccountRepository.updateSettings(changed, resetPosition: moved, on: store.sql(db)) }
        return MailAccountView(try await Self.find(req), now: req.now)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.ingestEmail)
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await MailAccountRepository.delete(id, on: store.sql(db)) }
        return .noContent
    }

    /// Connects, signs in and opens the folder; says what is there. Changes nothing.
    @Sendable func test(req: Request) async throws -> MailAccountTestResult {
        try req.authorize(.ingestEmail)
        let account = try await Self.find(req)
        do {
            return try await account.mailProtocol == .imap ? Self.testIMAP(account, req: req) : Self.testPOP3(account, req: req)
        } catch {
            return MailAccountTestResult(ok: false, message: "\(error)")
        }
    }

    private static func testIMAP(_ account: MailAccount, req: Request) async throws -> MailAccountTestResult {
        let connection = try await Self.signIn(req).imap(account)
        defer { Task { await connection.logout() } }
        let folder = try await connection.select(account.folder)
        let unseen = try await connection.run("UID SEARCH UNSEEN", step: "looking for unread mail").compactMap(\.searchResults).flatMap { $0 }.count
        let idle = connection.capabilities.contains("IDLE")
        return MailAccountTestResult(ok: true, message: "Signed in and opened \(account.folder): \(folder.exists) messages, \(unseen) unread. "
                                         + (idle ? "The server offers IDLE: new mail is fetched as it arrives."
                                                 : "The server offers no IDLE: it is checked every \(account.pollSeconds) seconds."),
                                     messages: Int(folder.exists), unread: unseen, idle: idle)
    }

    private static func testPOP3(_ account: MailAccount, req: Request) async throws -> MailAccountTestResult {
        let connection = try await Self.signIn(req).pop3(account)
        defer { connection.closeNow() }
        let listed = POP3Text.uniqueIDs(try await connection.multiline("UIDL", step: "listing mail (UIDL)"))
        let taken = try await MailAccountRepository.takenUIDs(of: account.id, on: req.store.sql)
        try await connection.quit()
        let waiting = listed.filter { taken[$0.uid] == nil }.count
        return MailAccountTestResult(ok: true, message: "Signed in: \(listed.count) messages, \(waiting) not fetched yet. "
                                         + "POP3 cannot announce new mail: it is checked every \(account.pollSeconds) seconds.",
                                     messages: listed.count, unread: waiting, idle: false)
    }

    /// Fetches what is new now, unless an instance is already watching the account (it fetches mail as it arrives).
    @Sendable func fetch(req: Request) async throws -> Response {
        try req.authorize(.ingestEmail)
        let account = try await Self.find(req)
        guard account.active else { throw Problem.conflict("The account is switched off; switch it on to fetch from it.") }
        let owner = "request-\(UUID().uuidString.prefix(8))"
        let store = req.store
        let now = req.now
        let taken = try await store.write { db in
            try await MailAccountRepository.lease(account.id, owner: owner, now: now, until: now.addingTimeInterval(MailboxWatcher.leaseLength), on: store.sql(db))
        }
        guard taken else {
            // Another fetcher holds the account: it is asked to look at once, and its figures show what it took.
            try await store.write { db in try await MailAccountRepository.requestFetch(account.id, at: now, on: store.sql(db)) }
            return try await FetchRequested(
                requested: true,
                message: "An instance is fetching this account now; it has been asked to look at once. Its figures (last fetch, imported) show what it took."
            ).encodeResponse(status: .accepted, for: req)
        }
        defer { Task { try? await store.write { db in try await MailAccountRepository.release(account.id, owner: owner, on: store.sql(db)) } } }
        let services = req.casebook
        do {
            let result = try await Self.signIn(req).pass(account, services: services, runner: req.application.jobs, owner: owner)
            let note = result.notes.isEmpty ? nil : result.notes.suffix(5).joined(separator: "; ")
            try await store.write { db in try await MailAccountRepository.noteOutcome(account.id, error: note, now: services.clock(), on: store.sql(db)) }
            return try await result.encodeResponse(for: req)
        } catch let error as MailServerError {
            _ = try await store.write { db in try await MailAccountRepository.noteFailure(account.id, error: "\(error)", now: services.clock(), on: store.sql(db)) }
            throw Problem(status: .badGateway, slug: "mail-server", title: "The mail server did not let Casebook fetch", detail: "\(error)")
        }
    }

    /// The answer when the account's fetcher is on another instance (or this one's watcher).
    struct FetchRequested: Content {
        var requested: Bool
        var message: String
    }

    private static func checkAddress(_ account: MailAccount, on sql: any SQLDatabase) async throws {
        if let id = account.mailAddressID, try await MailAddressRepository.find(id, on: sql) == nil {
            throw Problem.invalid("mail_address_id", "names none of the team's addresses")
        }
    }

    private static func signIn(_ req: Request) -> MailboxSignIn {
        MailboxSignIn(group: req.application.eventLoopGroup, oauth: MailOAuth(client: req.client, store: req.store, now: req.casebook.clock))
    }

    private static func find(_ req: Request) async throws -> MailAccount {
        guard let id = req.parameters.get("id", as: UUID.self), let account = try await MailAccountRepository.find(id, on: req.store.sql)
        else { throw Problem.notFound("The mail account") }
        return account
    }
}

/// What testing a mail account found.
struct MailAccountTestResult: Content {
    var ok: Bool
    var message: String
    var messages: Int?
    var unread: Int?
    var idle: Bool?
}
