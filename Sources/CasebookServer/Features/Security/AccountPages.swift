import CasebookCore
import Foundation
import Vapor

/// `/account`: one's own sign-in security — two-factor sign-in, where one is signed in, API tokens — and, for admins,
/// the sign-in policy. Every change goes through the API as the visitor, so the same rules and the audit log apply.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("account")
        account.get(use: show)
        account.post("two-factor", "begin", use: beginTwoFactor)
        account.post("two-factor", "confirm", use: confirmTwoFactor)
        account.post("two-factor", "recovery-codes", use: newRecoveryCodes)
        account.post("two-factor", "disable", use: disableTwoFactor)
        account.post("sessions", "end", use: endSession)
        account.post("sessions", "end-others", use: endOtherSessions)
        account.post("tokens", use: issueToken)
        account.post("tokens", "revoke", use: revokeToken)
        account.post("policy", use: changePolicy)
        account.post("languages", use: changeLanguages)
        account.post("time-zone", use: changeTimeZone)
    }

    /// Everything the page shows; the enrolment and one-time parts are filled only by the posts that make them.
    struct AccountPage: Encodable {
        var page: PageChrome
        var twoFactor: TwoFactorFacts
        var mustEnrol: Bool
        var sessions: [SessionRow]
        var tokens: [TokenRow]
        var policy: SignInPolicyFacts?
        var enrolment: Enrolment?
        var recoveryCodes: [String]?
        var newToken: String?
        var error: String?
        /// Staff only: the languages they write replies in without a colleague's review.
        var writes: [WritesOption]?
        /// Every time zone, the person's own chosen ("UTC", the default, reads as "follow my browser").
        var zones: [WritesOption] = []
    }

    struct WritesOption: Encodable {
        var code: String
        var label: String
        var checked: Bool
    }

    struct TwoFactorFacts: Encodable {
        var enabled: Bool
        var since: String?
        var remaining: Int
        var required: Bool
    }

    struct SessionRow: Encodable {
        var id: String
        var device: String
        var client: String
        var signedIn: String
        var lastSeen: String
        var current: Bool
    }

    struct TokenRow: Encodable {
        var id: String
        var name: String
        var hint: String
        var created: String
        var lastUsed: String
    }

    struct SignInPolicyFacts: Encodable { var twoFactorRequiredForStaff: Bool }

    struct Enrolment: Encodable {
        var secret: String
        var uri: String
        var qrDataURI: String
    }

    @Sendable func show(req: Request) async throws -> View {
        try await render(req)
    }

    func render(_ req: Request, enrolment: Enrolment? = nil, recoveryCodes: [String]? = nil, newToken: String? = nil, error: String? = nil) async throws -> View {
        let api = InProcessAPI(req: req)
        let current = try req.current
        let status = try await api.get("/api/v1/me/two-factor")
        // Until a required second factor is set up, the API answers nothing else, and the page shows only enrolment.
        let mustEnrol = req.session.data[Request.enrolKey] != nil
        let sessions = mustEnrol ? [] : try await api.get("/api/v1/sessions").items.map { item in
            SessionRow(id: item["id"]?.string ?? "", device: item["device"]?.string ?? "—", client: item["client"]?.string ?? "—",
                       signedIn: Self.time(item["created_at"]), lastSeen: Self.time(item["last_seen_at"]), current: item["current"] == .bool(true))
        }
        let tokens = mustEnrol ? [] : try await api.get("/api/v1/tokens").items.filter { $0["revoked_at"] == .null || $0["revoked_at"] == nil }
            .filter { $0["user_id"]?.string?.lowercased() == current.user.id.uuidString.lowercased() }
            .map { item in
                TokenRow(id: item["id"]?.string ?? "", name: item["name"]?.string ?? "", hint: (item["hint"]?.string ?? "") + "…",
                         created: Self.time(item["created_at"]),
                         lastUsed: item["last_used_at"]?.string.map { _ in Self.time(item["last_used_at"]) + " · " + (item["last_used_client"]?.string ?? "") } ?? "—")
            }
        var policy: SignInPolicyFacts?
        if current.actor.role == .admin, !mustEnrol {
            policy = SignInPolicyFacts(twoFactorRequiredForStaff: try await api.get("/api/v1/sign-in-settings")["two_factor_required_for_staff"] == .bool(true))
        }
        let facts = TwoFactorFacts(enabled: status["enabled"] == .bool(true), since: status["enabled_at"]?.string.map { _ in Self.time(status["enabled_at"]) },
                                   remaining: Self.count(status["recovery_codes_remaining"]),
                                   required: status["required"] == .bool(true))
        var page = AccountPage(page: req.chrome(req.text("account_title", "Your account and sign-in"), area: "account"), twoFactor: facts,
                               mustEnrol: mustEnrol, sessions: sessions, tokens: tokens, policy: policy,
                               enrolment: enrolment, recoveryCodes: recoveryCodes, newToken: newToken, error: error)
        let zone = current.timeZone ?? "UTC"
        page.zones = [WritesOption(code: "UTC", label: req.text("account_zone_browser", "My browser's time zone"), checked: zone == "UTC")]
            + TimeZone.knownTimeZoneIdentifiers.filter { $0 != "UTC" && $0.contains("/") }.sorted()
                .map { WritesOption(code: $0, label: $0.replacingOccurrences(of: "_", with: " "), checked: $0 == zone) }
        if current.actor.role.isStaff, !mustEnrol, let mine = try await UserRepository.languages(of: current.user.id, on: req.store.sql) {
            let fluent = ReplyReview.fluent(listed: mine.writes, profileLanguage: mine.profile)
            page.writes = ReplyReview.languages.map { WritesOption(code: $0, label: req.text("language_" + $0, $0), checked: fluent.contains($0)) }
        }
        return try await req.view.render("account", page)
    }

    private static func count(_ value: PageJSON?) -> Int {
        guard case let .number(number)? = value else { return 0 }
        return Int(number)
    }

    private static func time(_ value: PageJSON?) -> String {
        guard let text = value?.string, let date = try? Date(text, strategy: .iso8601) else { return "—" }
        return PageFormat.time(date)
    }

    @Sendable func beginTwoFactor(req: Request) async throws -> Response {
        let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/me/two-factor", json: .object([:]))
        guard answer.succeeded, let json = answer.json else { return try await refuse(req, answer) }
        let svg = json["qr_svg"]?.string ?? ""
        let enrolment = Enrolment(secret: json["secret"]?.string ?? "", uri: json["otpauth_uri"]?.string ?? "",
                                  qrDataURI: "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString())
        return try await render(req, enrolment: enrolment).encodeResponse(for: req)
    }

    @Sendable func confirmTwoFactor(req: Request) async throws -> Response {
        let code = (try? req.content.get(String.self, at: "code")) ?? ""
        let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/me/two-factor/confirm", json: .object(["code": .string(code)]))
        guard answer.succeeded else { return try await refuse(req, answer) }
        // The API call cleared the gate in the stored session; this request's copy must not write it back.
        req.session.data[Request.enrolKey] = nil
        return try await render(req, recoveryCodes: answer.json?["recovery_codes"]?.items.compactMap(\.string)).encodeResponse(for: req)
    }

    @Sendable func newRecoveryCodes(req: Request) async throws -> Response {
        let code = (try? req.content.get(String.self, at: "code")) ?? ""
        let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/me/two-factor/recovery-codes", json: .object(["code": .string(code)]))
        guard answer.succeeded else { return try await refuse(req, answer) }
        return try await render(req, recoveryCodes: answer.json?["recovery_codes"]?.items.compactMap(\.string)).encodeResponse(for: req)
    }

    @Sendable func disableTwoFactor(req: Request) async throws -> Response {
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        return try await act(req, .POST, "/api/v1/me/two-factor/disable", ["password": .string(password)], done: "account_two_factor_off_done")
    }

    @Sendable func endSession(req: Request) async throws -> Response {
        let id = (try? req.content.get(String.self, at: "id")) ?? ""
        return try await act(req, .DELETE, "/api/v1/sessions/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), nil,
                             done: "account_session_ended")
    }

    @Sendable func endOtherSessions(req: Request) async throws -> Response {
        try await act(req, .POST, "/api/v1/sessions/end-others", [:], done: "account_sessions_ended")
    }

    @Sendable func issueToken(req: Request) async throws -> Response {
        let name = (try? req.content.get(String.self, at: "name")) ?? ""
        let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/tokens", json: .object(["name": .string(name)]))
        guard answer.succeeded else { return try await refuse(req, answer) }
        return try await render(req, newToken: answer.json?["token"]?.string).encodeResponse(for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        let id = (try? req.content.get(String.self, at: "id")) ?? ""
        guard let uuid = UUID(uuidString: id) else { return try await render(req, error: "—").encodeResponse(status: .badRequest, for: req) }
        return try await act(req, .DELETE, "/api/v1/tokens/" + uuid.uuidString, nil, done: "account_token_revoked")
    }

    @Sendable func changePolicy(req: Request) async throws -> Response {
        let required = (try? req.content.get(String.self, at: "two_factor_required_for_staff")) == "on"
        return try await act(req, .PUT, "/api/v1/sign-in-settings", ["two_factor_required_for_staff": .bool(required)], done: "account_policy_saved")
    }

    struct LanguagesForm: Content {
        var writes: [String]?
    }

    /// The languages one writes well: replies in any other wait for a colleague's review.
    @Sendable func changeLanguages(req: Request) async throws -> Response {
        let codes = (try? req.content.decode(LanguagesForm.self).writes) ?? []
        let me = try req.current.user.id.uuidString.lowercased()
        return try await act(req, .PATCH, "/api/v1/users/" + me, ["writes_languages": .array(codes.map { .string($0) })], done: "account_languages_saved")
    }

    /// The zone pages and mail show times in.
    @Sendable func changeTimeZone(req: Request) async throws -> Response {
        let zone = (try? req.content.get(String.self, at: "time_zone")) ?? ""
        let me = try req.current.user.id.uuidString.lowercased()
        return try await act(req, .PATCH, "/api/v1/users/" + me, ["time_zone": .string(zone)], done: "account_zone_saved")
    }

    /// Calls the API; on success back to the page with a note, else the page again with the API's words.
    private func act(_ req: Request, _ method: HTTPMethod, _ path: String, _ body: [String: PageJSON]?, done: String) async throws -> Response {
        let answer = try await InProcessAPI(req: req).call(method, path, json: body.map { .object($0) })
        guard answer.succeeded else { return try await refuse(req, answer) }
        req.flash(req.text(done, "Done."))
        return req.redirect(to: "/account")
    }

    private func refuse(_ req: Request, _ answer: InProcessAPI.Answer) async throws -> Response {
        let message = answer.problem.map { FaultText(req).problem($0) { _ in nil }.detail }
        let status: HTTPStatus = answer.status.code >= 500 ? .badGateway : answer.status
        return try await render(req, error: message ?? answer.status.reasonPhrase).encodeResponse(status: status, for: req)
    }
}
