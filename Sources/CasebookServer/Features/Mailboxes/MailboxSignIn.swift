import CasebookCore
import Foundation
import NIOCore

/// Connects to an account's server and signs in with its password or an OAuth2 access token; or does one whole pass,
/// as "Fetch now" does.
struct MailboxSignIn {
    let group: any EventLoopGroup
    let oauth: MailOAuth

    func imap(_ account: MailAccount) async throws -> IMAPConnection {
        try await signedIn(account) { token in
            let connection = try await IMAPConnection.connect(account.serverSettings, group: group)
            do {
                try await connection.authenticate(user: account.username, password: account.password, accessToken: token)
            } catch {
                await connection.close()
                throw error
            }
            return connection
        }
    }

    func pop3(_ account: MailAccount) async throws -> POP3Connection {
        try await signedIn(account) { token in
            let connection = try await POP3Connection.connect(account.serverSettings, group: group)
            do {
                try await connection.signIn(user: account.username, password: account.password, accessToken: token)
            } catch {
                connection.closeNow()
                throw error
            }
            return connection
        }
    }

    /// Signs in; a cached access token the server refuses (revoked early) is replaced by a fresh one, once.
    private func signedIn<Connection>(_ account: MailAccount, _ open: (String?) async throws -> Connection) async throws -> Connection {
        let token = try await oauth.accessToken(for: account)
        do {
            return try await open(token)
        } catch MailServerError.refused(let step, let answer) where token != nil && step.hasPrefix("sign-in") {
            try await oauth.forget(account)
            guard let fresh = try await oauth.accessToken(for: account, forceRefresh: true), fresh != token else {
                throw MailServerError.refused(step: step, answer: answer)
            }
            return try await open(fresh)
        }
    }

    /// Connects, fetches what is new, and disconnects.
    func pass(_ account: MailAccount, services: CasebookServices, runner: JobRunner, owner: String) async throws -> MailboxFetch.Result {
        switch account.mailProtocol {
        case .imap:
            let connection = try await imap(account)
            defer { Task { await connection.logout() } }
            return try await MailboxFetch(services: services, runner: runner, owner: owner).run(account, on: connection)
        case .pop3:
            let connection = try await pop3(account)
            defer { connection.closeNow() }
            return try await POP3Fetch(services: services, runner: runner, owner: owner).run(account, on: connection)
        }
    }
}
