import CasebookCore
import Fluent
import Vapor

/// The one password check behind every sign-in path (the form and the API): the shared throttle, a hash compared
/// whether or not the address is known, and the failure or success recorded for every instance to see.
enum PasswordSignIn {
    enum Outcome {
        case signedIn(UserModel)
        case refused
        /// Too many failures: try again after this many seconds.
        case throttled(Int)
    }

    static func attempt(email rawEmail: String, password: String, on req: Request) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let client = req.remoteAddress?.ipAddress ?? "unknown"
        let now = req.now
        if let wait = try await LoginThrottle.retryAfter(email: email, client: client, now: now, on: req.store.sql) {
            return .throttled(wait)
        }
        let user = try await UserModel.query(on: req.db).filter(\.$email == email).first()
        // An unknown address is checked against a hash of the configured cost, so timing does not reveal who exists.
        let hash = user?.passwordHash ?? req.application.dummyPasswordHash
        let matches = (try? await req.password.async.verify(password, created: hash)) ?? false
        let store = req.store
        guard let user, user.active, user.passwordHash != nil, matches else {
            try await store.write { db in try await LoginThrottle.recordFailure(email: email, client: client, now: now, on: store.sql(db)) }
            return .refused
        }
        try await store.write { db in try await LoginThrottle.recordSuccess(email: email, on: store.sql(db)) }
        return .signedIn(user)
    }
}

extension Request {
    /// Signs `userID` in under a new session id, so an id fixed before sign-in is worthless.
    func beginSession(for userID: UUID) async throws {
        if let old = session.id { try await application.sessions.driver.deleteSession(old, for: self).get() }
        session.id = nil
        session.data = SessionData()
        session.data[ActorAuthenticator.sessionKey] = userID.uuidString
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
