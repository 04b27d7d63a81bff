import Foundation
import NIOConcurrencyHelpers
import Vapor

/// An OAuth2 authorisation server on loopback for mailbox tests, as Microsoft 365's or Google's looks to Casebook:
/// a token endpoint that trades a refresh token for an access token (and a new refresh token, as Microsoft does), and
/// an RFC 7662 introspection endpoint that Dovecot asks whether an access token is good.
final class TestTokenServer: Sendable {
    static let clientID = "casebook-mail"
    static let clientSecret = "mail-client-secret"
    static let firstRefreshToken = "rt-0"

    struct State: Sendable {
        var refreshToken = TestTokenServer.firstRefreshToken
        var issued: Set<String> = []
        var tokenRequests = 0
        var issuedCount = 0
    }

    private let app: Application
    let port: Int
    let state: NIOLockedValueBox<State>

    private init(app: Application, port: Int, state: NIOLockedValueBox<State>) {
        self.app = app
        self.port = port
        self.state = state
    }

    var tokenURL: String { "http://127.0.0.1:\(port)/token" }
    var introspectionURL: String { "http://127.0.0.1:\(port)/introspect" }

    /// Access tokens Dovecot no longer accepts, as when an admin revokes a session at the provider.
    func revokeAccessTokens() { state.withLockedValue { $0.issued = [] } }
    /// The refresh token no longer works either (a changed password, a withdrawn consent).
    func revokeEverything() { state.withLockedValue { $0.issued = []; $0.refreshToken = "gone-\(UUID().uuidString)" } }

    static func start() async throws -> TestTokenServer {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let state = NIOLockedValueBox(State())
        app.post("token") { req -> Response in
            let form = try req.content.decode([String: String].self)
            let answer: (HTTPStatus, [String: String]) = state.withLockedValue { state in
                state.tokenRequests += 1
                guard form["grant_type"] == "refresh_token", form["client_id"] == clientID, form["client_secret"] == clientSecret else {
                    return (.unauthorized, ["error": "invalid_client", "error_description": "The client is not known."])
                }
                guard form["refresh_token"] == state.refreshToken else {
                    return (.badRequest, ["error": "invalid_grant", "error_description": "The refresh token has expired or been revoked."])
                }
                state.issuedCount += 1
                let access = "at-\(state.issuedCount)-\(UUID().uuidString.prefix(8))"
                state.issued.insert(access)
                state.refreshToken = "rt-\(state.issuedCount)"
                return (.ok, ["access_token": access, "token_type": "Bearer", "refresh_token": state.refreshToken])
            }
            var body = answer.1 as [String: any Sendable]
            if answer.0 == .ok { body["expires_in"] = 3_600 }
            let data = try JSONSerialization.data(withJSONObject: body)
            return Response(status: answer.0, headers: ["Content-Type": "application/json"], body: .init(data: data))
        }
        app.post("introspect") { req -> Response in
            let token = (try? req.content.get(String.self, at: "token")) ?? ""
            let active = state.withLockedValue { $0.issued.contains(token) }
            let body: [String: any Sendable] = active ? ["active": true, "username": "support"] : ["active": false]
            return Response(headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        return TestTokenServer(app: app, port: app.http.server.shared.localAddress?.port ?? 0, state: state)
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
