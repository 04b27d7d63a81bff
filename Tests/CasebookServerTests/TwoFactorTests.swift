@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Two-factor sign-in")
struct TwoFactorTests {
    @Test("codes match RFC 6238's SHA-1 test vectors (last six digits) and base32 round-trips")
    func vectors() {
        let secret = Array("12345678901234567890".utf8)
        for (time, code) in [(59.0, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"),
                             (2_000_000_000, "279037"), (20_000_000_000, "353130")] {
            #expect(OneTimeCode.code(secret: secret, step: OneTimeCode.step(at: Date(timeIntervalSince1970: time))) == code, "at \(time)")
        }
        #expect(Base32.encode(secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == secret)
        #expect(Base32.decode("not*base32") == nil)
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let step = OneTimeCode.step(at: now)
        let current = OneTimeCode.code(secret: secret, step: step)
        #expect(OneTimeCode.verify(current, secret: secret, at: now, usedUpTo: nil) == step)
        #expect(OneTimeCode.verify(current, secret: secret, at: now, usedUpTo: step) == nil, "a spent code is refused")
        #expect(OneTimeCode.verify(OneTimeCode.code(secret: secret, step: step - 1), secret: secret, at: now, usedUpTo: nil) == step - 1)
        #expect(OneTimeCode.verify(OneTimeCode.code(secret: secret, step: step - 3), secret: secret, at: now, usedUpTo: nil) == nil)
        #expect(OneTimeCode.verify("12345", secret: secret, at: now, usedUpTo: nil) == nil)
        #expect(OneTimeCode.verify("abcdef", secret: secret, at: now, usedUpTo: nil) == nil)
        #expect(OneTimeCode.provisioningURI(secret: "ABC", account: "a@b.example", issuer: "Casebook Support")
            .hasPrefix("otpauth://totp/Casebook%20Support:a@b.example?secret=ABC&issuer=Casebook%20Support"))
    }

    @Test("enrol, sign in with a code, spend a recovery code once, turn it off; wrong codes are throttled", arguments: TestDatabase.all)
    func journey(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let begun = try await app.call(.POST, "/api/v1/me/two-factor", token: f.agent)
            #expect(begun.status == .created)
            let secretText = begun.json["secret"] as? String ?? ""
            let secret = try #require(Base32.decode(secretText))
            #expect(secret.count == 20 && (begun.json["qr_svg"] as? String ?? "").hasPrefix("<svg"))
            #expect((begun.json["otpauth_uri"] as? String ?? "").contains("secret=\(secretText)"))
            func code(_ offset: Int64 = 0) -> String { OneTimeCode.code(secret: secret, step: OneTimeCode.step(at: clock.now) + offset) }
            // Still off until a code confirms it: signing in needs only the password.
            let before = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(before.status == .ok)
            let wrong = try await app.call(.POST, "/api/v1/me/two-factor/confirm", token: f.agent, json: ["code": "000000"])
            #expect(wrong.status == .unprocessableEntity && wrong.isProblem)
            let confirmed = try await app.call(.POST, "/api/v1/me/two-factor/confirm", token: f.agent, json: ["code": code()])
            let recovery = confirmed.json["recovery_codes"] as? [String] ?? []
            #expect(confirmed.status == .ok && recovery.count == 10 && Set(recovery).count == 10)
            let status = try await app.call(.GET, "/api/v1/me/two-factor", token: f.agent)
            #expect(status.json["enabled"] as? Bool == true && status.json["recovery_codes_remaining"] as? Int == 10)
            #expect(!status.text.contains(secretText))

            let noCode = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(noCode.status == .unauthorized && noCode.isProblem && noCode.text.contains("two-factor-required"))
            #expect(noCode.headers.first(name: .setCookie) == nil, "no session before the second factor")
            clock.advance(31)
            let withCode = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password", "code": code()])
            #expect(withCode.status == .ok)
            let replay = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password", "code": code()])
            #expect(replay.status == .unauthorized, "a code works once")
            let wrongPasswordRightCode = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "not-the-password", "code": code(1)])
            #expect(wrongPasswordRightCode.status == .unauthorized)
            let viaRecovery = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password", "code": recovery[0].uppercased()])
            #expect(viaRecovery.status == .ok, "\(viaRecovery.text)")
            let recoveryAgain = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password", "code": recovery[0]])
            #expect(recoveryAgain.status == .unauthorized, "a recovery code works once")
            // Guessing codes with the right password runs into the same throttle as guessing passwords.
            var last = 0
            for guess in 0..<6 {
                last = Int(try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password",
                                                                            "code": String(format: "%06d", 100_000 + guess)]).status.code)
            }
            #expect(last == 429)
            let blocked = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password", "code": code(1)])
            #expect(blocked.status == .tooManyRequests, "even the right code waits out the throttle")
            clock.advance(16 * 60)

            let badPassword = try await app.call(.POST, "/api/v1/me/two-factor/disable", token: f.agent, json: ["password": "nope-nope-nope"])
            #expect(badPassword.status == .unprocessableEntity)
            let off = try await app.call(.POST, "/api/v1/me/two-factor/disable", token: f.agent, json: ["password": "a-good-password"])
            #expect(off.status == .noContent)
            let plain = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(plain.status == .ok)
            #expect(try await rowCount(app, "recovery_codes") == 0)
        }
    }

    @Test("when staff must use it, a staff sign-in can only enrol until it does; an admin can reset a lost phone", arguments: TestDatabase.all)
    func required(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let agentOnly = try await app.call(.PUT, "/api/v1/sign-in-settings", token: f.agent, json: ["two_factor_required_for_staff": true])
            #expect(agentOnly.status == .forbidden)
            let set = try await app.call(.PUT, "/api/v1/sign-in-settings", token: f.admin, json: ["two_factor_required_for_staff": true])
            #expect(set.status == .ok && set.json["two_factor_required_for_staff"] as? Bool == true)

            let signedIn = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password"])
            #expect(signedIn.status == .ok)
            let cookie = String((signedIn.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
            let csrf = signedIn.headers.first(name: "X-CSRF-Token") ?? ""
            let session: [(String, String)] = [("Cookie", cookie), ("X-CSRF-Token", csrf)]
            let cases = try await app.call(.GET, "/api/v1/cases", headers: session)
            #expect(cases.status == .forbidden && cases.text.contains("two-factor-enrolment-required"))
            let page = try await app.call(.GET, "/desk", headers: [("Cookie", cookie)])
            #expect(page.status == .seeOther && page.headers.first(name: .location) == "/account?enrol=1")
            let begun = try await app.call(.POST, "/api/v1/me/two-factor", headers: session)
            let secret = try #require(Base32.decode(begun.json["secret"] as? String ?? ""))
            let confirmed = try await app.call(.POST, "/api/v1/me/two-factor/confirm",
                                               json: ["code": OneTimeCode.code(secret: secret, step: OneTimeCode.step(at: clock.now))], headers: session)
            #expect(confirmed.status == .ok)
            #expect(try await app.call(.GET, "/api/v1/cases", headers: session).status == .ok, "enrolled: the gate is gone")
            // A customer is never asked to enrol.
            #expect(try await app.call(.POST, "/api/v1/session", json: ["email": "carla@acme.example", "password": "a-good-password"]).status == .ok)
            let refusedOff = try await app.call(.POST, "/api/v1/me/two-factor/disable", json: ["password": "a-good-password"], headers: session)
            #expect(refusedOff.status == .conflict, "staff may not turn it off while it is required")

            // Lost phone: only an admin resets it, and every session of theirs ends.
            #expect(try await app.call(.DELETE, "/api/v1/users/\(f.agentID)/two-factor", token: f.agent).status == .forbidden)
            #expect(try await app.call(.DELETE, "/api/v1/users/\(UUID())/two-factor", token: f.admin).status == .notFound)
            #expect(try await app.call(.DELETE, "/api/v1/users/\(f.agentID)/two-factor", token: f.admin).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/me", headers: session).status == .unauthorized)
            let again = try await app.call(.POST, "/api/v1/session", json: ["email": "agent@cb.example", "password": "a-good-password"])
            let gated = String((again.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
            #expect(try await app.call(.GET, "/api/v1/cases", headers: [("Cookie", gated)]).status == .forbidden, "must enrol again")
        }
    }

    @Test("the sign-in form asks for the code on a second page, and a lapsed or wrong code starts nothing", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let begun = try await app.call(.POST, "/api/v1/me/two-factor", token: f.customer)
            let secret = try #require(Base32.decode(begun.json["secret"] as? String ?? ""))
            func code() -> String { OneTimeCode.code(secret: secret, step: OneTimeCode.step(at: clock.now)) }
            _ = try await app.call(.POST, "/api/v1/me/two-factor/confirm", token: f.customer, json: ["code": code()])
            clock.advance(30)
            let form = try await app.call(.GET, "/login")
            var browser = BrowserSession(cookie: BrowserSession.cookie(from: form) ?? "", csrf: BrowserSession.token(in: form.text))
            let first = try await browser.post(app, "/login", ["email": "carla@acme.example", "password": "a-good-password", "next": "/portal"])
            #expect(first.status == .ok && first.text.contains("action=\"/login/code\"") && first.text.contains("autocomplete=\"one-time-code\""))
            browser.cookie = [browser.cookie, BrowserSession.cookie(from: first)].compactMap { $0 }.joined(separator: "; ")
            browser.csrf = BrowserSession.token(in: first.text)
            let wrong = try await browser.post(app, "/login/code", ["code": "000000", "next": "/portal"])
            #expect(wrong.status == .unauthorized && wrong.text.contains("action=\"/login/code\""))
            let right = try await browser.post(app, "/login/code", ["code": code(), "next": "/portal"])
            #expect(right.status == .seeOther && right.headers.first(name: .location) == "/portal")
            // A fresh session id after the second step: the one from the password step opens nothing.
            let signedCookie = BrowserSession.cookie(from: right) ?? ""
            #expect(!signedCookie.isEmpty && signedCookie != browser.cookie)
            #expect(try await app.call(.GET, "/portal", headers: [("Cookie", signedCookie)]).status == .ok)

            let lapsedForm = try await app.call(.GET, "/login")
            var late = BrowserSession(cookie: BrowserSession.cookie(from: lapsedForm) ?? "", csrf: BrowserSession.token(in: lapsedForm.text))
            let step = try await late.post(app, "/login", ["email": "carla@acme.example", "password": "a-good-password"])
            late.cookie = [late.cookie, BrowserSession.cookie(from: step)].compactMap { $0 }.joined(separator: "; ")
            late.csrf = BrowserSession.token(in: step.text)
            clock.advance(6 * 60)
            let lapsed = try await late.post(app, "/login/code", ["code": code()])
            #expect(lapsed.status == .unauthorized && lapsed.text.contains("action=\"/login\""))
        }
    }
}
