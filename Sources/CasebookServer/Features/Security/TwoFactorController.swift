import CasebookCore
import Fluent
import Vapor

/// `/me/two-factor`: enrolling an authenticator app, recovery codes, turning it off; `/users/{id}/two-factor` lets an
/// admin reset someone who lost their phone; `/sign-in-settings` is whether staff must use it.
struct TwoFactorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mine = routes.grouped("me", "two-factor")
        mine.get(use: status)
        mine.post(use: begin)
        mine.post("confirm", use: confirm)
        mine.post("recovery-codes", use: recoveryCodes)
        mine.post("disable", use: disable)
        routes.delete("users", ":id", "two-factor", use: reset)
        routes.get("sign-in-settings", use: settings)
        routes.put("sign-in-settings", use: changeSettings)
    }

    @Sendable func status(req: Request) async throws -> TwoFactorStatusView {
        let current = try req.current
        let state = try await TwoFactor.state(of: current.user.id, on: req.store.sql)
        let settings = try await SignInSettings.load(on: req.store.sql)
        return TwoFactorStatusView(state, required: settings.twoFactorRequiredForStaff && current.actor.role.isStaff)
    }

    /// A new secret to scan; it is in force only once `confirm` is sent a code it made.
    @Sendable func begin(req: Request) async throws -> Response {
        let current = try req.current
        let store = req.store
        let secret = try await store.write { db in try await TwoFactor.begin(for: current.user.id, on: store.sql(db)) }
        let uri = OneTimeCode.provisioningURI(secret: secret, account: current.user.email, issuer: req.casebook.configuration.outbound.fromName)
        let svg = (try? QRCode.encode(uri, level: .medium))?.svg(moduleSize: 5) ?? ""
        return try await TwoFactorEnrolmentView(secret: secret, otpauthURI: uri, qrSVG: svg).encodeResponse(status: .created, for: req)
    }

    @Sendable func confirm(req: Request) async throws -> RecoveryCodesView {
        let current = try req.current
        let input = try req.content.decode(TwoFactorCodeRequest.self)
        let store = req.store
        let now = req.now
        let keep = req.session.id
        let codes = try await store.write { db in
            let sql = store.sql(db)
            let codes = try await TwoFactor.confirm(for: current.user.id, code: input.code, now: now, on: sql)
            // A second factor is meant to lock out whoever might hold a session already: only this one stays.
            try await WebSessions.end(of: current.user.id, keeping: current.viaSession ? keep : nil, on: sql)
            return codes
        }
        if current.viaSession { req.session.data[Request.enrolKey] = nil }
        return RecoveryCodesView(recoveryCodes: codes)
    }

    /// Ten new recovery codes for ten old ones, proven with a current code.
    @Sendable func recoveryCodes(req: Request) async throws -> RecoveryCodesView {
        let current = try req.current
        let input = try req.content.decode(TwoFactorCodeRequest.self)
        let store = req.store
        let now = req.now
        return RecoveryCodesView(recoveryCodes: try await store.write { db in
            let sql = store.sql(db)
            guard try await TwoFactor.check(input.code, for: current.user.id, now: now, on: sql) else {
                throw DomainError.invalid("code", "does not match the authenticator app")
            }
            return try await TwoFactor.newRecoveryCodes(for: current.user.id, on: sql)
        })
    }

    /// Turning it off takes the password again, and is refused while staff are required to use it.
    @Sendable func disable(req: Request) async throws -> HTTPStatus {
        let current = try req.current
        let input = try req.content.decode(TwoFactorDisableRequest.self)
        if current.actor.role.isStaff, try await SignInSettings.load(on: req.store.sql).twoFactorRequiredForStaff {
            throw Problem.conflict("Staff must use two-factor sign-in here; an admin can change that on the Account page.")
        }
        guard let user = try await UserModel.find(current.user.id, on: req.db), let hash = user.passwordHash,
              (try? await req.password.async.verify(input.password, created: hash)) == true
        else { throw Problem.invalid("password", "is not your current password") }
        let store = req.store
        try await store.write { db in try await TwoFactor.disable(for: current.user.id, on: store.sql(db)) }
        return .noContent
    }

    /// An admin turns someone's second factor off (a lost phone); they enrol again at their next sign-in if required.
    @Sendable func reset(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageSecurity)
        guard let id = req.parameters.get("id", as: UUID.self), try await UserModel.find(id, on: req.db) != nil else { throw Problem.notFound("The person") }
        let store = req.store
        try await store.write { db in
            try await TwoFactor.disable(for: id, on: store.sql(db))
            try await WebSessions.end(of: id, keeping: nil, on: store.sql(db))
        }
        return .noContent
    }

    @Sendable func settings(req: Request) async throws -> SignInSettings {
        try req.authorize(.manageSecurity)
        return try await SignInSettings.load(on: req.store.sql)
    }

    @Sendable func changeSettings(req: Request) async throws -> SignInSettings {
        try req.authorize(.manageSecurity)
        let input = try req.content.decode(SignInSettings.self)
        let store = req.store
        try await store.write { db in try await input.save(on: store.sql(db)) }
        return input
    }
}

extension SignInSettings: Content {}

struct TwoFactorCodeRequest: Content {
    var code: String
}

struct TwoFactorDisableRequest: Content {
    var password: String
}

/// Whether a person uses a second factor, without the secret.
struct TwoFactorStatusView: Content {
    var enabled: Bool
    var pending: Bool
    var enabledAt: Date?
    var recoveryCodesRemaining: Int
    /// Whether this person must use one (staff, when an admin requires it).
    var required: Bool

    init(_ state: TwoFactor.State, required: Bool) {
        enabled = state.isEnabled
        pending = state.isPending
        enabledAt = state.enabledAt
        recoveryCodesRemaining = state.isEnabled ? state.recoveryCodesRemaining : 0
        self.required = required
    }

    enum CodingKeys: String, CodingKey {
        case enabled, pending, required
        case enabledAt = "enabled_at", recoveryCodesRemaining = "recovery_codes_remaining"
    }
}

/// The secret to put in an authenticator app, as text, as a link and as a QR code (SVG).
struct TwoFactorEnrolmentView: Content {
    var secret: String
    var otpauthURI: String
    var qrSVG: String

    enum CodingKeys: String, CodingKey { case secret, otpauthURI = "otpauth_uri", qrSVG = "qr_svg" }
}

/// Recovery codes, shown once.
struct RecoveryCodesView: Content {
    var recoveryCodes: [String]

    enum CodingKeys: String, CodingKey { case recoveryCodes = "recovery_codes" }
}
