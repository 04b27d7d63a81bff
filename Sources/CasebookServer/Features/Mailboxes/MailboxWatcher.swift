import CasebookCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Keeps one fetcher per active mail account, across every instance: each instance looks for accounts whose lease is
/// free, takes the lease, and holds the account's folder open in IDLE (or polls it where IDLE is missing) until the
/// account changes, goes, or another instance has its lease.
final class MailboxWatcher: Sendable {
    /// How long a lease lasts unrenewed: an instance that dies frees its accounts within this.
    static let leaseLength: TimeInterval = 60
    /// How often a waiting fetcher checks whether someone asked for a look now, in seconds.
    static let requestCheck = 2
    /// How often a fetcher renews its lease (and so how long one IDLE lasts before a look and a renewal).
    static let renewEvery: TimeAmount = .seconds(20)
    /// How often the watcher looks for accounts that need a fetcher.
    static let lookEvery: Duration = .seconds(10)

    private let services: CasebookServices
    private let store: Store
    private let runner: JobRunner
    private let group: any EventLoopGroup
    private let oauth: MailOAuth
    private let logger: Logger
    /// How long a mailbox may fail before admins are told by mail (once per outage).
    private let alertAfter: TimeInterval
    let owner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-mail-\(UUID().uuidString.prefix(8))"
    private let running = NIOLockedValueBox<(tasks: [UUID: Task<Void, Never>], stopped: Bool)>(([:], false))
    private let supervisor = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(services: CasebookServices, runner: JobRunner, group: any EventLoopGroup, client: any Client, logger: Logger,
         alertAfter: TimeInterval = 300) {
        self.alertAfter = alertAfter
        oauth = MailOAuth(client: client, store: services.store, now: services.clock)
        self.services = services
        store = services.store
        self.runner = runner
        self.group = group
        self.logger = logger
    }

    func start() {
        let task = Task { [self] in
            while !Task.isCancelled {
                await look()
                try? await Task.sleep(for: Self.lookEvery)
            }
        }
        supervisor.withLockedValue { $0 = task }
    }

    func stop() async {
        supervisor.withLockedValue { $0?.cancel() }
        let tasks = running.withLockedValue { value -> [Task<Void, Never>] in
            defer { value = ([:], true) }
            return Array(value.tasks.values)
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// Starts a fetcher for each active account this instance does not already fetch and whose lease it can take.
    func look() async {
        do {
            let accounts = try await MailAccountRepository.all(activeOnly: true, on: services.store.sql)
            for account in accounts where running.withLockedValue({ $0.tasks[account.id] == nil && !$0.stopped }) {
                let now = services.clock()
                let owner = owner
                let taken = try await store.write { db in
                    try await MailAccountRepository.lease(account.id, owner: owner, now: now, until: now.addingTimeInterval(Self.leaseLength),
                                                          on: self.store.sql(db))
                }
                guard taken else { continue }
                let id = account.id
                // Made and recorded under the lock, so a fetcher that ends at once cannot remove itself before it is recorded.
                running.withLockedValue { value in
                    guard !value.stopped else { return }
                    value.tasks[id] = Task { [self] in
                        await fetch(id)
                        _ = running.withLockedValue { $0.tasks.removeValue(forKey: id) }
                    }
                }
            }
        } catch {
            logger.warning("could not look for mail accounts to fetch", metadata: ["error": "\(error)"])
        }
    }

    /// Fetches one account for as long as this instance holds its lease and the account stays as it was.
    private func fetch(_ id: UUID) async {
        await keepFetching(id)
        // Given up at once, not after the lease runs out, so another instance (or this one restarted) takes over now;
        // in a task of its own, which this one's cancellation does not reach.
        let (store, owner) = (store, owner)
        await Task { try? await store.write { db in try await MailAccountRepository.release(id, owner: owner, on: store.sql(db)) } }.value
    }

    private func keepFetching(_ id: UUID) async {
        var wait: Duration = .seconds(5)
        while !Task.isCancelled {
            guard let account = try? await MailAccountRepository.find(id, on: services.store.sql), account.active else { return }
            do {
                try await session(account)
                return
            } catch is CancellationError {
                return
            } catch {
                // Stopping closes the connection under the session; that is not the server failing.
                if Task.isCancelled { return }
                try? await failed(account, error)
                guard (try? await renew(id)) == true else { return }
                try? await Task.sleep(for: wait)
                // Below the lease's length, so a server that is down for a while does not cost the account its fetcher.
                wait = min(wait * 2, .seconds(40))
            }
        }
    }

    /// Records the failure; once it has lasted `alertAfter`, tells every admin by mail, once for this outage.
    private func failed(_ account: MailAccount, _ error: any Error) async throws {
        logger.warning("mail account fetch failed", metadata: ["account": "\(account.name)", "error": "\(error)"])
        let now = services.clock()
        let alertAfter = alertAfter
        let services = services
        try await store.write { db in
            let sql = services.store.sql(db)
            let state = try await MailAccountRepository.noteFailure(account.id, error: "\(error)", now: now, on: sql)
            guard !state.alerted, now.timeIntervalSince(state.since) >= alertAfter else { return }
            let subject = "Casebook cannot fetch mail from \(account.name)"
            let text = "Since \(Timestamp.format(state.since)) every attempt to fetch from the mailbox \(account.name) (\(account.username) at "
                + "\(account.host)) has failed:\n\n\(error)\n\nMail sent to it is not reaching Casebook. Fix the account under Admin → Mailboxes "
                + "(Test the connection says what the server answers); Casebook keeps trying, and fetches what arrived meanwhile once it works."
            for address in try await StaffAddressRepository.adminAddresses(on: sql) {
                try await StaffNotice(services: services).send(to: address, subject: subject, text: text, on: sql, now: now)
            }
            try await MailAccountRepository.noteAlerted(account.id, now: now, on: sql)
        }
    }

    /// POP3: a pass, then a wait, then a pass with a new connection (a POP3 session locks the mailbox while it lasts).
    private func polls(_ account: MailAccount) async throws {
        while !Task.isCancelled {
            guard let current = try await MailAccountRepository.find(account.id, on: services.store.sql), current.active,
                  current.updatedAt == account.updatedAt else { return }
            let started = services.clock()
            let result = try await MailboxSignIn(group: group, oauth: oauth).pass(current, services: services, runner: runner, owner: owner)
            if result.stopped { return }
            try await note(account.id, result)
            guard try await pause(account, since: started) else { return }
        }
    }

    /// Waits the account's polling interval, renewing the lease, or less when someone asked for a look after `since`
    /// ("Fetch now" on another instance); false when the lease went elsewhere.
    private func pause(_ account: MailAccount, since: Date) async throws -> Bool {
        var left = max(account.pollSeconds, 5), sinceRenewal = 0
        while left > 0, !Task.isCancelled {
            let step = min(left, Self.requestCheck)
            try await Task.sleep(for: .seconds(step))
            left -= step
            sinceRenewal += step
            if sinceRenewal >= 20 || left == 0 {
                guard try await renew(account.id) else { return false }
                sinceRenewal = 0
            }
            if let asked = try await MailAccountRepository.fetchRequested(account.id, on: services.store.sql), asked > since { return true }
        }
        return true
    }

    private func note(_ id: UUID, _ result: MailboxFetch.Result) async throws {
        let now = services.clock()
        let note = result.notes.isEmpty ? nil : result.notes.suffix(5).joined(separator: "; ")
        try await store.write { db in
            try await MailAccountRepository.noteOutcome(id, error: note, now: now, on: self.store.sql(db))
        }
    }

    /// IMAP: one connection that signs in, then fetches, idles (or sleeps) and fetches again until something changes.
    private func session(_ account: MailAccount) async throws {
        if account.mailProtocol == .pop3 { return try await polls(account) }
        let connection = try await MailboxSignIn(group: group, oauth: oauth).imap(account)
        defer { connection.closeNow() }
        // Waiting in IDLE does not notice cancellation by itself: closing the connection ends the wait.
        try await withTaskCancellationHandler {
            try await watch(account, on: connection)
        } onCancel: {
            connection.closeNow()
        }
    }

    private func watch(_ account: MailAccount, on connection: IMAPConnection) async throws {
        let fetch = MailboxFetch(services: services, runner: runner, owner: owner)
        while !Task.isCancelled {
            guard let current = try await MailAccountRepository.find(account.id, on: services.store.sql), current.active,
                  current.updatedAt == account.updatedAt else { return }
            let started = services.clock()
            let result = try await fetch.run(current, on: connection)
            if result.stopped { return }
            try await note(account.id, result)
            guard try await renew(account.id) else { return }
            if connection.capabilities.contains("IDLE") {
                _ = try await connection.idle(limit: Self.renewEvery)
            } else {
                guard try await pause(account, since: started) else { return }
                try await connection.run("NOOP", step: "NOOP")
            }
            guard try await renew(account.id) else { return }
        }
    }

    private func renew(_ id: UUID) async throws -> Bool {
        let now = services.clock()
        let owner = owner
        return try await store.write { db in
            try await MailAccountRepository.lease(id, owner: owner, now: now, until: now.addingTimeInterval(Self.leaseLength), on: self.store.sql(db))
        }
    }
}
