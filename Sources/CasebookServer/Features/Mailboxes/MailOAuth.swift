import CasebookCore
import Foundation
import Vapor

/// Access tokens for mailboxes that sign in with OAuth2 (RFC 6749 §6): a cached one while it has a minute left,
/// otherwise a new one from the provider's token endpoint in exchange for the refresh token, which is replaced when
/// the provider hands out a new one (Microsoft does at every use).
struct MailOAuth {
    let client: any Client
    let store: Store
    let now: @Sendable () -> Date

    /// The token to sign in with, or nil for an account that signs in with a password.
    func accessToken(for account: MailAccount, forceRefresh: Bool = false) async throws -> String? {
        guard account.authentication == .oauth2 else { return nil }
        guard let oauth = account.oauth else { throw MailServerError.unexpected("no OAuth2 settings are stored for this account") }
        if !forceRefresh, let token = oauth.accessToken, let expiry = oauth.expiresAt, expiry.timeIntervalSince(now()) > 60 { return token }
        guard ProviderURL.isAcceptable(oauth.tokenURL) else {
            throw MailServerError.refused(step: "getting an access token", answer: "the token URL must be https (or http on this machine)")
        }
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: oauth.tokenURL), headers: ["Accept": "application/json"]) { request in
                var form = ["grant_type": "refresh_token", "refresh_token": oauth.refreshToken, "client_id": oauth.clientID]
                if let secret = oauth.clientSecret, !secret.isEmpty { form["client_secret"] = secret }
                if let scope = oauth.scope, !scope.isEmpty { form["scope"] = scope }
                try request.content.encode(form, as: .urlEncodedForm)
            }
        } catch {
            throw MailServerError.unreachable("the token endpoint \(oauth.tokenURL) (\(error))")
        }
        guard response.status == .ok, let answer = try? response.content.decode(TokenAnswer.self), !answer.accessToken.isEmpty else {
            let refusal = try? response.content.decode(TokenRefusal.self)
            let reason = [refusal?.error, refusal?.errorDescription].compactMap { $0 }.joined(separator: ": ")
            throw MailServerError.refused(step: "getting an access token", answer: reason.isEmpty ? "HTTP \(response.status.code)" : String(reason.prefix(300)))
        }
        let expiresAt = now().addingTimeInterval(TimeInterval(min(max(answer.expiresIn ?? 3_600, 60), 86_400)))
        let refresh = answer.refreshToken.flatMap { $0.isEmpty ? nil : $0 } ?? oauth.refreshToken
        let store = store
        try await store.write { db in
            try await MailAccountRepository.noteTokens(account.id, access: answer.accessToken, expiresAt: expiresAt, refresh: refresh, on: store.sql(db))
        }
        return answer.accessToken
    }

    /// The user and an access token of the mailbox named `mailbox`, for signing in to the outgoing relay.
    static func relayTokens(mailbox: String, fresh: Bool, app: Application) async throws -> (user: String, token: String) {
        let services = app.casebook
        guard let account = try await MailAccountRepository.all(on: services.store.sql).first(where: { $0.name == mailbox }),
              account.authentication == .oauth2 else {
            throw MailServerError.unexpected("CASEBOOK_RELAY_OAUTH_MAILBOX names \(mailbox), which is not a mailbox that signs in with OAuth2")
        }
        let oauth = MailOAuth(client: app.client, store: services.store, now: services.clock)
        if fresh { try await oauth.forget(account) }
        guard let token = try await oauth.accessToken(for: account, forceRefresh: fresh) else {
            throw MailServerError.unexpected("no access token for \(mailbox)")
        }
        return (account.username, token)
    }

    /// Forgets the cached access token after the mail server refused it (revoked before it expired).
    func forget(_ account: MailAccount) async throws {
        guard let oauth = account.oauth else { return }
        let store = store
        try await store.write { db in
            try await MailAccountRepository.noteTokens(account.id, access: nil, expiresAt: nil, refresh: oauth.refreshToken, on: store.sql(db))
        }
    }

    private struct TokenAnswer: Decodable {
        var accessToken: String
        var expiresIn: Int?
        var refreshToken: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", expiresIn = "expires_in", refreshToken = "refresh_token"
        }
    }

    private struct TokenRefusal: Decodable {
        var error: String?
        var errorDescription: String?

        enum CodingKeys: String, CodingKey {
            case error, errorDescription = "error_description"
        }
    }
}
