import CasebookCore
import Foundation
import Vapor

/// `casebook bench imap`: fetches a mailbox that already holds mail, as the watcher's first pass does, and reports how
/// fast messages were stored and applied (each a case or a reply), and how fast the server answered.
public enum MailboxBenchmark {
    /// Where the mailbox is; the server's own CA (PEM) when it is not publicly trusted.
    public struct Target: Sendable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String
        public var caPEM: String?
        public var pop3: Bool

        public init(host: String, port: Int, user: String, password: String, caPEM: String?, pop3: Bool) {
            (self.host, self.port, self.user, self.password, self.caPEM, self.pop3) = (host, port, user, password, caPEM, pop3)
        }
    }

    public static func run(_ app: Application, target: Target, log: (String) -> Void) async throws -> [ServiceLevelBenchmark.Figure] {
        let services = app.casebook
        let now = services.clock()
        let account = MailAccount(id: RecordID.make(), name: "Benchmark", mailProtocol: target.pop3 ? .pop3 : .imap, host: target.host, port: target.port,
                                  security: .tls, verifyCertificates: true, caCertificates: target.caPEM, username: target.user,
                                  password: target.password, folder: "INBOX", afterImport: .seen, moveTo: nil, firstImport: .all, pollSeconds: 60,
                                  active: true, uidValidity: nil, lastUID: 0, importedCount: 0, failedCount: 0, lastFetchAt: nil, lastError: nil,
                                  leaseOwner: nil, leaseUntil: nil, createdAt: now, updatedAt: now)
        let store = services.store
        let owner = "bench"
        try await store.write { db in
            try await MailAccountRepository.insert(account, on: store.sql(db))
            _ = try await MailAccountRepository.lease(account.id, owner: owner, now: now, until: now.addingTimeInterval(3_600), on: store.sql(db))
        }
        let signIn = MailboxSignIn(group: app.eventLoopGroup, oauth: MailOAuth(client: app.client, store: store, now: services.clock))
        let started = ContinuousClock.now
        let result = try await signIn.pass(account, services: services, runner: app.jobs, owner: owner)
        let seconds = (ContinuousClock.now - started).seconds
        log("fetched \(result.imported) new, \(result.duplicates) already stored, \(result.failed) failed in \(String(format: "%.2f", seconds)) s")
        let cases = try await CaseRepository.count(on: store.sql)
        return [
            .init(name: "messages fetched, stored and applied", value: Double(result.imported), unit: "messages"),
            .init(name: "cases opened by them", value: Double(cases), unit: "cases"),
            .init(name: "throughput (fetch + store + apply, one connection)", value: Double(result.imported) / max(seconds, 0.001), unit: "messages/s"),
        ]
    }
}
