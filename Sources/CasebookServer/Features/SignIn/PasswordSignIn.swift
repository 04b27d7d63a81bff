import CasebookCore
import Fluent
import Vapor

/// The one sign-in check behind every path (the form, its second step and the API): the shared throttle, a hash
/// compared whether or not the address is known, the second factor for people who use one, and every success and
/// failure written to the throttle and the audit log for every instance to see.
enum PasswordSignIn {
    enum Outcome {
        /// Signed in; `mustEnrol` when staff must set up a second factor before doing anything else.
        case signedIn(UserModel, mustEnrol: Bool)
        /// The password was right and the person uses a second factor: ask for the code.
        case needsCode(UserModel)
        case refused
        /// Too many failures: try again after this many seconds.
        case throttled(Int)
    }

    static func attempt(email rawEmail: String, password: String, code: String? = nil, on req: Request) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        if let wait = try await LoginThrottle.retryAfter(email: email, client: req.clientAddress, now: req.now, on: req.store.sql) {
            return .throttled(wait)
        }
        let user = try await UserRepository.find(email: email, on: req.db)
        // An unknown address is checked against a hash of the configured cost, so timing does not reveal who exists.
        let hash = user?.passwordHash ?? req.application.dummyPasswordHash
        let matches = (try? await req.password.async.verify(password, created: hash)) ?? false
        if let user, user.active, user.passwordHash != nil, matches { return try await secondStep(user, code: code, on: req) }
        switch try await DirectoryPasswordCheck.attempt(login: rawEmail, password: password, on: req) {
        case let .signedIn(person, directory):
            return try await secondStep(person, code: code, method: "password at \(directory)", on: req)
        case let .refused(reason):
            try await failure(email: email, user: user, reason: reason, on: req)
            return .refused
        case .unknown:
            try await failure(email: email, user: user, reason: user == nil ? "unknown address" : "wrong password", on: req)
            return .refused
        }
    }

    /// After the password was right: the second factor when the person uses one, then the sign-in itself.
    static func secondStep(_ user: UserModel, code: String?, method: String = "password", on req: Request) async throws -> Outcome {
        let id = try user.requireID()
        let store = req.store
        let state = try await TwoFactor.state(of: id, on: store.sql)
        if state.isEnabled {
            guard let code, !code.trimmingCharacters(in: .whitespaces).isEmpty else { return .needsCode(user) }
            if let wait = try await LoginThrottle.retryAfter(email: user.email, client: req.clientAddress, now: req.now, on: store.sql) {
                return .throttled(wait)
            }
            let now = req.now
            let proven = try await store.write { db in try await TwoFactor.check(code, for: id, now: now, on: store.sql(db)) }
            guard proven else {
                try await failure(email: user.email, user: user, reason: "wrong two-factor code", on: req)
                return .refused
            }
        }
        let settings = try await SignInSettings.load(on: store.sql)
        let mustEnrol = !state.isEnabled && settings.twoFactorRequiredForStaff && (Role(rawValue: user.role) ?? .customer).isStaff
        let event = AuditEvent(id: RecordID.make(), at: req.now, actorID: id, actorEmail: user.email, client: req.clientAddress,
                               category: .signIn, action: "sign-in with \(method)" + (state.isEnabled ? " and second factor" : ""),
                               subjectType: "users", subjectID: id.uuidString.lowercased(), outcome: 200, before: nil, after: nil)
        try await store.write { db in
            try await LoginThrottle.recordSuccess(email: user.email, on: store.sql(db))
            try await AuditLogRepository.append(event, on: store.sql(db))
        }
        return .signedIn(user, mustEnrol: mustEnrol)
    }

    static func failure(email: String, user: UserModel?, reason: String, on req: Request) async throws {
        let store = req.store
        let now = req.now
        let client = req.clientAddress
        let event = AuditEvent(id: RecordID.make(), at: now, actorID: user?.id, actorEmail: String(email.prefix(200)), client: client,
                               category: .signInFailed, action: "sign-in refused: " + reason, subjectType: "users",
                               subjectID: user?.id?.uuidString.lowercased(), outcome: 401, before: nil, after: nil)
        try await store.write { db in
            try await LoginThrottle.recordFailure(email: email, client: client, now: now, on: store.sql(db))
            try await AuditLogRepository.append(event, on: store.sql(db))
        }
    }
}

extension Request {
    /// The session key marking a session whose owner must set up a second factor before anything else.
    static let enrolKey = "casebook.enrol"
    /// The session key of a sign-in waiting for its second factor: the person's id and when the wait ends.
    static let pendingKey = "casebook.pending"

    /// Signs `userID` in under a new session id, so an id fixed before sign-in is worthless.
    func beginSession(for userID: UUID, mustEnrol: Bool = false) async throws {
        if let old = session.id { try await application.sessions.driver.deleteSession(old, for: self).get() }
        session.id = nil
        session.data = SessionData()
        session.data[ActorAuthenticator.sessionKey] = userID.uuidString
        if mustEnrol { session.data[Self.enrolKey] = "1" }
    }
}

extension Application {
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A hash made at start with the configured cost, checked when an address is unknown.
    var dummyPasswordHash: String {
        get { storage[DummyHashKey.self] ?? "" }
        set { storage[DummyHashKey.self] = newValue }
    }
}
