import Foundation
@testable import CasebookServer
import JWTKit
import NIOConcurrencyHelpers
import Vapor

/// A real OpenID Connect provider on loopback for tests: discovery, published keys, an authorization step that answers
/// with a code, a token endpoint that checks the client's secret and the PKCE verifier and signs ID tokens with RS256
/// (or, on request, signs them wrongly), and userinfo.
final class TestOpenIDProvider: Sendable {
    /// What the next ID token gets wrong, if anything.
    enum Flaw: Sendable {
        case none, foreignKey, wrongAudience, expired, wrongNonce, wrongIssuer
        /// The discovery document sends the token request to the cloud metadata service.
        case metadataEndpoint
    }

    struct Account: Sendable {
        var subject: String
        var email: String
        var name: String
        var groups: [String]
    }

    struct IDToken: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var nonce: String
        var email: String
        var name: String
        var groups: [String]
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private struct Grant: Sendable {
        var account: Account
        var nonce: String
        var challenge: String
        var redirectURI: String
    }

    private let app: Application
    private let grants = NIOLockedValueBox<[String: Grant]>([:])
    private let state = NIOLockedValueBox<(account: Account, flaw: Flaw)>((Account(subject: "s", email: "e@x.example", name: "n", groups: []), .none))
    let port: Int
    static let clientID = "casebook"
    static let clientSecret = "s3cret: with words & symbols"

    private init(app: Application, port: Int) {
        self.app = app
        self.port = port
    }

    var issuer: String { "http://127.0.0.1:\(port)" }

    /// Who signs in next, and what their token gets wrong.
    func next(_ account: Account, flaw: Flaw = .none) { state.withLockedValue { $0 = (account, flaw) } }

    static func start() async throws -> TestOpenIDProvider {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let box = NIOLockedValueBox<TestOpenIDProvider?>(nil)
        let signing = JWTKeyCollection()
        await signing.add(rsa: try Insecure.RSA.PrivateKey(pem: goodKey), digestAlgorithm: .sha256, kid: "k1")
        let foreign = JWTKeyCollection()
        await foreign.add(rsa: try Insecure.RSA.PrivateKey(pem: foreignKey), digestAlgorithm: .sha256, kid: "k1")
        app.get(".well-known", "openid-configuration") { req -> Response in
            let provider = box.withLockedValue { $0 }!
            let issuer = provider.issuer
            let hostile = provider.state.withLockedValue { $0.flaw } == .metadataEndpoint
            return try await ["issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                              "token_endpoint": hostile ? "http://169.254.169.254/latest/meta-data/iam" : issuer + "/token",
                              "jwks_uri": issuer + "/jwks", "userinfo_endpoint": issuer + "/userinfo"].encodeResponse(for: req)
        }
        app.get("jwks") { _ in
            Response(body: .init(string: #"{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"\#(goodModulus)","e":"AQAB"}]}"#))
        }
        // The person "signs in" here: the answer is the redirect back with a code, as a browser would follow it.
        app.get("authorize") { req -> Response in
            let provider = box.withLockedValue { $0 }!
            guard req.query[String.self, at: "client_id"] == clientID, req.query[String.self, at: "response_type"] == "code",
                  req.query[String.self, at: "code_challenge_method"] == "S256",
                  let challenge = req.query[String.self, at: "code_challenge"], let nonce = req.query[String.self, at: "nonce"],
                  let redirect = req.query[String.self, at: "redirect_uri"], let state = req.query[String.self, at: "state"]
            else { return Response(status: .badRequest) }
            let code = UUID().uuidString
            let account = provider.state.withLockedValue { $0.account }
            provider.grants.withLockedValue { $0[code] = Grant(account: account, nonce: nonce, challenge: challenge, redirectURI: redirect) }
            return req.redirect(to: redirect + "?code=\(code)&state=\(state)")
        }
        app.post("token") { req -> Response in
            let provider = box.withLockedValue { $0 }!
            let expected = "Basic " + Data("casebook:s3cret%3A%20with%20words%20%26%20symbols".utf8).base64EncodedString()
            guard req.headers.first(name: .authorization) == expected else { return Response(status: .unauthorized) }
            guard let code = try? req.content.get(String.self, at: "code"), let verifier = try? req.content.get(String.self, at: "code_verifier"),
                  let grant = provider.grants.withLockedValue({ $0.removeValue(forKey: code) }),
                  (try? req.content.get(String.self, at: "redirect_uri")) == grant.redirectURI,
                  OpenIDClient.challenge(for: verifier) == grant.challenge
            else { return Response(status: .badRequest, body: .init(string: #"{"error":"invalid_grant"}"#)) }
            let flaw = provider.state.withLockedValue { $0.flaw }
            let now = Int(Date().timeIntervalSince1970)
            let token = IDToken(iss: flaw == .wrongIssuer ? "http://elsewhere.example" : provider.issuer, sub: grant.account.subject,
                                aud: flaw == .wrongAudience ? "another-app" : clientID, exp: flaw == .expired ? now - 600 : now + 300,
                                iat: flaw == .expired ? now - 900 : now, nonce: flaw == .wrongNonce ? "not-the-nonce" : grant.nonce,
                                email: grant.account.email, name: grant.account.name, groups: grant.account.groups)
            let signed = try await (flaw == .foreignKey ? foreign : signing).sign(token, kid: "k1")
            return Response(body: .init(string: #"{"access_token":"at-\#(grant.account.subject)","token_type":"Bearer","id_token":"\#(signed)"}"#))
        }
        app.get("userinfo") { req -> Response in
            let account = box.withLockedValue { $0 }!.state.withLockedValue { $0.account }
            guard req.headers.bearerAuthorization?.token == "at-" + account.subject else { return Response(status: .unauthorized) }
            return Response(body: .init(string: #"{"sub":"\#(account.subject)","locale":"es-ES"}"#))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let provider = TestOpenIDProvider(app: app, port: app.http.server.shared.localAddress?.port ?? 0)
        box.withLockedValue { $0 = provider }
        return provider
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    static let goodModulus = "t1qubTeLLPZ_2q9OW5tBssxWYcsM3MO2I-qFKlC6KOQT9CeAHzQtikHHPUBTFwRE6U9IBn_zg5nu-_-0Y5m16XczlZOH75ohouZS5zddA6pmn828RJlDsmw6X6rWvm7pxwOepoxt4ByZ1sqXkHU9nYCRLuF2jOHS4yjEtBzgi2mbCmDz0ZuzXQ3W5tapW3JeoxOFtA1JTLWsZjvyRMaG_dkumCYsMX3BlNXoIxnXz4mja0829uIplft52xj0c1PLK2qLeL6hnKEMozO_aHFA7YB7ayCdOI5k4kHbZT-hNoOvT9n-1XHpLHhWVNTTuojT_pN8YmaYzgr7ra6i_wH7wQ"

    /// Test keys made for this file; the foreign one signs tokens the provider never published a key for.
    static let goodKey = """
-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC3Wq5tN4ss9n/a
r05bm0GyzFZhywzcw7Yj6oUqULoo5BP0J4AfNC2KQcc9QFMXBETpT0gGf/ODme77
/7RjmbXpdzOVk4fvmiGi5lLnN10DqmafzbxEmUOybDpfqta+bunHA56mjG3gHJnW
ypeQdT2dgJEu4XaM4dLjKMS0HOCLaZsKYPPRm7NdDdbm1qlbcl6jE4W0DUlMtaxm
O/JExob92S6YJiwxfcGU1egjGdfPiaNrTzb24imV+3nbGPRzU8sraot4vqGcoQyj
M79ocUDtgHtrIJ04jmTiQdtlP6E2g69P2f7VcekseFZU1NO6iNP+k3xiZpjOCvut
rqL/AfvBAgMBAAECggEAAtlggj81lQ9oBXOJq8v98XuyIG8lriUG5qg5ZULPn7zK
kBXQjHuUtRQoVsvx9pa5BOiX2Y0BsVLyJx2ONamA7YWuCiYam8co/GVolqHyOrE6
SsOpSCYbCpHattuaXmduD8r/Oz6NowjCvbcUc5jUyiaiKuizPUVxj9jVdKiJtzTY
Mz/j90lVSDfpelpJmdML/Fby5A0kV0AwlIQsqI5pBjE64fNeYTszPAJzHqKwrKaD
0rhkpUmc+yrQux1n4YEAIxIO6jZK4eXp/6LHVcO0BfExSMhV5CzRftHYQTzK3gMX
+KntUPULEfzHS75NfOVF+L6zrVVjOdAsE5vmWn31qQKBgQD+ckqeIr0V3BeD0SvH
77rUqyjBeOzoTKhDJa1Kiy6e4Qe8nOgFgCa+muoUlFXTpqhanBBzwYVVWTl/bLjY
OMtqW/pP1mA0CSfLJFa7Isw7IxetgynBCPVxB9PUx5Eq8MhFGAt1qWcavr62ciAL
5+UK8CgW79U2l0je0btwj/p+mQKBgQC4eUUxyRBO/0ODEDIyrtR2zDmEORtw9Vxr
LhRglsqSNXPRhgk/JVUCW6FysRh3FLDGSKOhopXbPKbazl5aBzfOfR/7ty5sBRYM
mUhtLmnoP4++K24QsMEpfQTmApFOkmnAcJThX3wkDCob78DR9DJB5zEgf1c0mcPe
YhlafkjnaQKBgBcptF088FWjGYjoa8HhsvJVOnqSVY64G8ExFttoXDAecCPdbMnD
ZsOHOrPw5PdFfqHw/xZqkYa5fqB490LHuMzP3rOR4mQaSUMW5cZXXpwrj6Y+AHkQ
JbfKbKA8Ipz0GmcfzztA1p/6qUXWkdBDpfge8KdV4eT8VKfkE9olYTpRAoGAGtmz
45ozYHwxFGuQEuZ1kFELch5pyxg7enI7jw+DrqJPGEkdIW7Kn8w8hJgYSoTdcg7y
mj0y+LUsSB7PhuUUD18Q/69a92gKHI1XCGVADwjpYDGsFIvVobdLtjrbcYdIEzWP
xfoC9LA8lNJhy21yvzrqYKOISuSyqLS4of5NmDkCgYAsiRXKbo6PiUozrgV/MPzp
aum96TMKliWFuYRjTK6Eze94zAievb11xvb89drBCxmG+iroH13Cy/s0TQQuSylj
ZDkSVLvoNnijkc/Iws3Zl7gPzw/NYZbQGSauNkAr9WvNPBap3OtWwTCvKV9sIdx7
AgWOZ/o96Yot06st23Gvdg==
-----END PRIVATE KEY-----
"""

    static let foreignKey = """
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDKY/NRcRo1Pr3+
P0KefhTR16P9ceDfYDH4QKx/pjbOtnDAxRhp+ZBkupivzfbiYLgEXYqz13veeko2
4/jYHE3Hp3oU57BhO3mGXpk7Ju3xRDuSIGe1qea8yz938tI13acO7QJPOFbbwqHM
/JWYqV8fegyLqKnpe7R2aC6jIK71/gy6WL8ex2ryW4T1s8UYwDabeiCA4OTHSYT7
720DwhGBiuBYujWEQdOaEHdGmkyNLBw0GUoXYdKQdhj6pwtEMbETBqPeUdDzLbWU
Ua27w7BlSbUpyRA+c2HAFC2jukyj0DO6UIIH+HhL7bEA7bq63914q/6Ytyo968HZ
cmAejX19AgMBAAECggEAEtD6FS9LvXmI1nNxMSUNsHi48V4+BuZ9ntP8dZ2xaMSD
dRid7XRbXVIP0gB3HJLbaOR9ebzl8kgyUCofv4/aF17Vtc3YkyGhacGvw1UaOB0c
4LgMjFIwdor66p7ztjhWSMf2OAFH6gSNYG53RgsxIc8KDY3vxhpPK9cBxv7J5Wq/
weP+jkcGCESjUktqcbJ9V7htWnThbdeQ/GGAwiSr4GSzn2mrCcyW8Bb/VR7jOWZ9
+VsD4HbI+AIVq6lhXjKk/rLSE+ZJkzMbJ5+loDiKB0dI81R2G8AYhJd7C5ceeuVf
miigVNVc6BBTZ/7iQp/Ephy+GHIZ61+NtYfVwcy+gQKBgQDySGRDXFcvXAz4rYDL
cchkAEulI3G2I5YeNtyfhHNSZax8yBe/B51mUEQ42qCYXmRzQODVTVKENsb3UX58
eiYGEG8xmS7y4G30uEY07cJe21+ymoS2D91HH6n/crhL3KkjSMtlVJZvt5xVTTy5
ANRS2C50V7lZpbkP4Tc8YwosHQKBgQDV2V2LloIIxzoFCYXstOuCrxtHGkioqfYW
T/94Q0qg0CHy9XWdCZPiRc8gCid8dUsxzPyokv3ku3OmsTknEiS+PSB30+5pi0M/
K1YUr//LpKotz0f9PCYUYSO8XmCpLNYJnVUcIpxR4NwzDzsZx72s6qGUn6+b2GCy
2TNli0IY4QKBgQClVBLfCHcSAT10wGi/6z/0RWNZJ+ujf3sj2QoJ7EcJdgoTCDN0
Ds0wkRtMtJub/eWL5DzIMUBaqkpxX/HxHSUvRC2sabxozg8aTFjUK15Uflw6M0jW
N9Mmgovtnan3Unc0dasd1W/mgiOy7ca+87rvYUep6ma3rueu119q3KaHXQKBgQDS
7BHYHBsljVssnLf7QHcJ7qx49PO1Z+3RFBZmB/kTpDXX7UKUIV47T597eoh3uTjx
Zb3Ohyzk7f6j6yjz4HFdMe1UQzRj5XfuVlARF4a01TUE+e2HWEw2zZjxsiSkuBRk
Z0oK9hg4qhCGS/9+7gOnCcVVUitjC4hU3uZSwYfwAQKBgHWPDUG7dU2Ef7XLequz
H9HTiWNUcWXw90at9SfteEJPVhUXIbGVbzd29XLti2vVV/gkjij4ykYQvmimlwGY
IO2L0C5U0UyhBsn5SWhE49KFB/tm86+xZnxE+Mqmpxz+57byAvDmyBKlO/JLFuPC
Dh4x1JQKDxFsQkA+xRbeUfJ0
-----END PRIVATE KEY-----
"""
}
