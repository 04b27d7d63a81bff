import CasebookCore
import Crypto
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Vapor

/// Why a company sign-in was refused; the words go to the audit log and, shortened, to the person.
struct OpenIDError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a provider publishes at `/.well-known/openid-configuration`.
struct OpenIDMetadata: Codable, Sendable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var jwksURI: String
    var userinfoEndpoint: String?
    var tokenEndpointAuthMethods: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint", tokenEndpoint = "token_endpoint", jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint", tokenEndpointAuthMethods = "token_endpoint_auth_methods_supported"
    }
}

/// The claims Casebook checks itself; the rest are read from the verified payload as plain JSON.
struct OpenIDToken: JWTIdentityToken {
    var issuer: IssuerClaim
    var subject: SubjectClaim
    var audience: AudienceClaim
    var expiration: ExpirationClaim
    var issuedAt: IssuedAtClaim?
    var nonce: String?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audience = "aud", expiration = "exp", issuedAt = "iat", nonce
    }

    /// Times are checked against Casebook's clock by the caller, not the machine's here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The OpenID Connect authorization code flow with PKCE, against one provider: the address to send people to, and
/// turning the code that comes back into checked claims (signature, issuer, audience, expiry, nonce).
struct OpenIDClient {
    let provider: SignInProvider
    let client: any Client
    let cache: OpenIDCache
    /// Leeway for the clocks of Casebook and the provider.
    static let leeway: TimeInterval = 60

    func metadata() async throws -> OpenIDMetadata {
        if let known = cache.metadata(for: provider) { return known }
        let issuer = provider.issuer.hasSuffix("/") ? String(provider.issuer.dropLast()) : provider.issuer
        let response = try await client.get(URI(string: issuer + "/.well-known/openid-configuration"))
        guard response.status == .ok, let metadata = try? response.content.decode(OpenIDMetadata.self) else {
            throw OpenIDError("the provider's discovery document could not be read (\(response.status.code))")
        }
        guard metadata.issuer == provider.issuer || metadata.issuer == issuer else {
            throw OpenIDError("the discovery document names issuer \(metadata.issuer), not \(provider.issuer)")
        }
        for (name, endpoint) in [("authorization_endpoint", metadata.authorizationEndpoint), ("token_endpoint", metadata.tokenEndpoint),
                                 ("jwks_uri", metadata.jwksURI), ("userinfo_endpoint", metadata.userinfoEndpoint ?? "https://unused.invalid")]
            where !ProviderURL.isAcceptable(endpoint) {
            throw OpenIDError("the discovery document's \(name) (\(endpoint.prefix(200))) is not an https address")
        }
        cache.keep(metadata, for: provider)
        return metadata
    }

    /// Where to send the browser, with the state, nonce and PKCE challenge it will come back with.
    func authorizationURL(redirectURI: String, state: String, nonce: String, verifier: String) async throws -> String {
        let metadata = try await metadata()
        var components = URLComponents(string: metadata.authorizationEndpoint)
        var items = components?.queryItems ?? []
        items += [URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: provider.clientID),
                  URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: provider.scopes),
                  URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
                  URLQueryItem(name: "code_challenge", value: Self.challenge(for: verifier)), URLQueryItem(name: "code_challenge_method", value: "S256")]
        components?.queryItems = items
        guard let url = components?.url?.absoluteString else { throw OpenIDError("the provider's authorization endpoint is not a URL") }
        return url
    }

    /// Exchanges the code, verifies the ID token and returns its claims merged with the userinfo endpoint's.
    func claims(code: String, redirectURI: String, verifier: String, nonce: String, now: Date) async throws -> [String: Any] {
        let metadata = try await metadata()
        var form = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "client_id": provider.clientID,
                    "code_verifier": verifier]
        var headers = HTTPHeaders()
        // The secret goes in the form where the provider takes it there (no encoding for servers to disagree on),
        // else in Basic authentication, the default the standard names.
        if metadata.tokenEndpointAuthMethods?.contains("client_secret_post") == true {
            form["client_secret"] = provider.clientSecret
        } else {
            let credentials = Data("\(Self.formEncode(provider.clientID)):\(Self.formEncode(provider.clientSecret))".utf8).base64EncodedString()
            headers.add(name: .authorization, value: "Basic " + credentials)
        }
        let response = try await client.post(URI(string: metadata.tokenEndpoint), headers: headers) { request in
            try request.content.encode(form, as: .urlEncodedForm)
        }
        guard response.status == .ok, let body = response.body.map({ Data(buffer: $0) }),
              let tokens = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let idToken = tokens["id_token"] as? String
        else { throw OpenIDError("the provider refused the code (\(response.status.code))") }
        var claims = try await verify(idToken, nonce: nonce, now: now, metadata: metadata)
        if let endpoint = metadata.userinfoEndpoint, let access = tokens["access_token"] as? String {
            let info = try await client.get(URI(string: endpoint), headers: ["Authorization": "Bearer " + access])
            if info.status == .ok, let data = info.body.map({ Data(buffer: $0) }),
               let extra = try? JSONSerialization.jsonObject(with: data) as? [String: Any], extra["sub"] as? String == claims["sub"] as? String {
                // The signed token wins where both speak.
                claims.merge(extra) { signed, _ in signed }
            }
        }
        return claims
    }

    /// Checks an ID token's signature with the provider's published keys, then issuer, audience, expiry and nonce.
    func verify(_ idToken: String, nonce: String, now: Date, metadata: OpenIDMetadata) async throws -> [String: Any] {
        let keys = try await signingKeys(metadata)
        let token: OpenIDToken
        do {
            token = try await keys.verify(idToken, as: OpenIDToken.self, expectedAudience: provider.clientID)
        } catch {
            // A key rotated since the keys were fetched: fetch them once more before refusing.
            cache.forgetKeys(for: provider)
            do {
                token = try await signingKeys(metadata).verify(idToken, as: OpenIDToken.self, expectedAudience: provider.clientID)
            } catch {
                throw OpenIDError("the ID token's signature or audience did not verify (\(error))")
            }
        }
        guard token.issuer.value == metadata.issuer else { throw OpenIDError("the ID token was issued by \(token.issuer.value), not \(metadata.issuer)") }
        guard token.expiration.value.addingTimeInterval(Self.leeway) > now else { throw OpenIDError("the ID token has expired") }
        if let issued = token.issuedAt?.value, issued > now.addingTimeInterval(Self.leeway) { throw OpenIDError("the ID token was issued in the future") }
        guard let sent = token.nonce, sent == nonce else { throw OpenIDError("the ID token's nonce does not match this sign-in") }
        let parts = idToken.split(separator: ".")
        guard parts.count == 3, let payload = Self.base64URLDecode(String(parts[1])),
              let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { throw OpenIDError("the ID token is malformed") }
        return claims
    }

    private func signingKeys(_ metadata: OpenIDMetadata) async throws -> JWTKeyCollection {
        if let keys = cache.keys(for: provider) { return keys }
        let response = try await client.get(URI(string: metadata.jwksURI))
        guard response.status == .ok, let body = response.body.map({ String(buffer: $0) }) else {
            throw OpenIDError("the provider's signing keys could not be read (\(response.status.code))")
        }
        let keys = JWTKeyCollection()
        // Keys without an identifier or of a kind we do not use are left out rather than failing the whole set.
        let set = try JSONDecoder().decode(JWKS.self, from: Data(body.utf8))
        for key in set.keys where key.keyIdentifier != nil { _ = try? await keys.add(jwk: key) }
        cache.keep(keys, for: provider)
        return keys
    }

    static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }

    /// RFC 6749 §2.3.1: client credentials are form-encoded before Basic authentication.
    private static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// Discovery documents and signing keys, kept ten minutes per provider so a sign-in does not fetch them each time.
final class OpenIDCache: Sendable {
    private struct Entry {
        var metadata: OpenIDMetadata?
        var keys: JWTKeyCollection?
        var fetched: Date
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    static let lifetime: TimeInterval = 600

    private func key(_ provider: SignInProvider) -> String { provider.id.uuidString + "|" + provider.issuer + "|" + provider.updatedAt.description }

    func metadata(for provider: SignInProvider) -> OpenIDMetadata? {
        entries.withLockedValue { entries in
            guard let entry = entries[key(provider)], Date().timeIntervalSince(entry.fetched) < Self.lifetime else { return nil }
            return entry.metadata
        }
    }

    func keys(for provider: SignInProvider) -> JWTKeyCollection? {
        entries.withLockedValue { entries in
            guard let entry = entries[key(provider)], Date().timeIntervalSince(entry.fetched) < Self.lifetime else { return nil }
            return entry.keys
        }
    }

    func keep(_ metadata: OpenIDMetadata, for provider: SignInProvider) {
        entries.withLockedValue { $0[key(provider)] = Entry(metadata: metadata, keys: nil, fetched: Date()) }
    }

    func keep(_ keys: JWTKeyCollection, for provider: SignInProvider) {
        entries.withLockedValue { $0[key(provider), default: Entry(fetched: Date())].keys = keys }
    }

    func forgetKeys(for provider: SignInProvider) {
        entries.withLockedValue { $0[key(provider)]?.keys = nil }
    }
}
