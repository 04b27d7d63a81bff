import CasebookCore
import Foundation
import Vapor

/// `/login/oidc/{id}` sends the browser to the provider; `/login/oidc/callback` takes it back, checks everything the
/// provider says, and signs the person in under a fresh session — or shows the sign-in page with why not.
struct CompanySignInPages: RouteCollection {
    /// The sign-in's state while the person is at the provider.
    struct Pending: Codable {
        var provider: UUID
        var state: String
        var nonce: String
        var verifier: String
        var redirectURI: String
        var next: String
        var started: Double
    }

    static let sessionKey = "casebook.oidc"
    /// How long a person may take at the provider.
    static let lifetime: TimeInterval = 10 * 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", "oidc", "callback", use: callback)
        routes.get("login", "oidc", ":id", use: start)
    }

    @Sendable func start(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let provider = try await SignInProviderRepository.find(id, on: req.store.sql),
              provider.active else { throw Abort(.notFound, reason: req.text("oidc_unknown", "That sign-in option is not offered here.")) }
        let pending = Pending(provider: id, state: RandomToken.make(), nonce: RandomToken.make(), verifier: RandomToken.make() + RandomToken.make(),
                              redirectURI: Self.redirectURI(req), next: SignInPages.safeNext(req.query[String.self, at: "next"]),
                              started: req.now.timeIntervalSince1970)
        let url: String
        do {
            url = try await OpenIDClient(provider: provider, client: req.client, cache: req.application.openIDCache)
                .authorizationURL(redirectURI: pending.redirectURI, state: pending.state, nonce: pending.nonce, verifier: pending.verifier)
        } catch {
            return try await refuse(req, provider: provider, reason: "\(error)")
        }
        req.session.data[Self.sessionKey] = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
        return req.redirect(to: url)
    }

    @Sendable func callback(req: Request) async throws -> Response {
        guard req.hasSession, let text = req.session.data[Self.sessionKey],
              let pending = try? JSONDecoder().decode(Pending.self, from: Data(text.utf8)) else {
            return try await refuse(req, provider: nil, reason: "no sign-in was started in this browser")
        }
        req.session.data[Self.sessionKey] = nil
        guard let provider = try await SignInProviderRepository.find(pending.provider, on: req.store.sql), provider.active else {
            return try await refuse(req, provider: nil, reason: "the provider is no longer offered")
        }
        if let error = req.query[String.self, at: "error"] {
            return try await refuse(req, provider: provider, reason: "the provider answered \(error.prefix(100))")
        }
        guard let state = req.query[String.self, at: "state"], CSRFProtection.constantTimeEqual(state, pending.state) else {
            return try await refuse(req, provider: provider, reason: "the answer's state does not match this sign-in")
        }
        guard req.now.timeIntervalSince1970 - pending.started < Self.lifetime else {
            return try await refuse(req, provider: provider, reason: "the sign-in took longer than ten minutes")
        }
        guard let code = req.query[String.self, at: "code"], !code.isEmpty, code.count < 2_000 else {
            return try await refuse(req, provider: provider, reason: "the provider sent no code")
        }
        if let wait = try await LoginThrottle.retryAfter(keys: [("client:" + req.clientAddress, LoginThrottle.perClient)], now: req.now, on: req.store.sql) {
            return try await refuse(req, provider: provider, reason: "too many failed sign-ins from this client; wait \(wait) seconds", record: false)
        }
        let user: UserModel
        do {
            let claims = try await OpenIDClient(provider: provider, client: req.client, cache: req.application.openIDCache)
                .claims(code: code, redirectURI: pending.redirectURI, verifier: pending.verifier, nonce: pending.nonce, now: req.now)
            let identity = try CompanyPeople.identity(from: claims, roleClaim: provider.roleClaim)
            let store = req.store
            let now = req.now
            let client = req.clientAddress
            user = try await store.write { db in
                try await CompanyPeople.resolve(identity, source: provider.source, now: now, client: client, on: db, sql: store.sql(db))
            }
        } catch let error as OpenIDError {
            return try await refuse(req, provider: provider, reason: error.description)
        }
        let id = try user.requireID()
        try await req.audit(.signIn, "sign-in with \(provider.name)", actorID: id, actorEmail: user.email, subjectType: "users",
                            subjectID: id.uuidString.lowercased())
        try await req.beginSession(for: id)
        let isStaff = (Role(rawValue: user.role) ?? .customer).isStaff
        return req.redirect(to: pending.next.isEmpty ? (isStaff ? "/desk" : "/portal") : pending.next)
    }

    /// The address the provider sends people back to: this site's, as the browser reached it.
    static func redirectURI(_ req: Request) -> String {
        let host = req.headers.first(name: .host) ?? "127.0.0.1"
        let scheme = req.casebook.configuration.secureCookies ? "https" : "http"
        return "\(scheme)://\(host)/login/oidc/callback"
    }

    /// The sign-in page again with why the company sign-in did not work; the full reason goes to the audit log.
    private func refuse(_ req: Request, provider: SignInProvider?, reason: String, record: Bool = true) async throws -> Response {
        if record {
            let store = req.store
            let keys = ["client:" + req.clientAddress]
            let now = req.now
            try await store.write { db in try await LoginThrottle.record(keys: keys, now: now, on: store.sql(db)) }
            try await req.audit(.signInFailed, "sign-in refused: \(provider?.name ?? "company sign-in"): \(reason)", actorID: nil, actorEmail: nil,
                                outcome: .unauthorized, subjectType: "sign-in-providers", subjectID: provider?.id.uuidString.lowercased())
        }
        let message = req.text("oidc_refused", "Company sign-in did not work:") + " " + FaultText(req).message(reason) + "."
        return try await SignInPages.loginPage(req, status: .unauthorized, error: message)
    }
}

extension Application {
    private struct OpenIDCacheKey: StorageKey { typealias Value = OpenIDCache }

    /// Providers' discovery documents and keys, shared by every request of this process.
    var openIDCache: OpenIDCache {
        get { storage[OpenIDCacheKey.self] ?? OpenIDCache() }
        set { storage[OpenIDCacheKey.self] = newValue }
    }
}
