import CasebookCore
import Foundation
import Vapor

/// `POST /password-resets` asks for a link by mail; `POST /password-resets/complete` sets the new password with it.
/// Neither needs anyone signed in, and asking answers the same whether or not the address is known.
struct PasswordResetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("password-resets", use: ask)
        routes.post("password-resets", "complete", use: complete)
    }

    @Sendable func ask(req: Request) async throws -> Response {
        try req.requireJSON("Ask for a reset link")
        let input = try req.content.decode(PasswordResetAsk.self)
        switch try await Self.ask(email: input.email, on: req) {
        case let .throttled(wait):
            var problem = Problem(status: .tooManyRequests, slug: "too-many-requests", title: "Too many requests",
                                  detail: "Too many reset links were asked for this address or from this client; try again in \(wait) seconds.")
            problem.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            throw problem
        case .sent:
            return try await PasswordResetAsked().encodeResponse(status: .accepted, for: req)
        }
    }

    @Sendable func complete(req: Request) async throws -> HTTPStatus {
        try req.requireJSON("Set a new password")
        let input = try req.content.decode(PasswordResetComplete.self)
        try await Self.complete(token: input.token, password: input.password, on: req)
        return .noContent
    }

    /// Shared with the pages: asks for a link and writes the ask to the audit log.
    static func ask(email: String, on req: Request) async throws -> PasswordReset.Asked {
        let services = req.casebook
        let client = req.clientAddress
        let now = req.now
        let store = req.store
        let event = AuditEvent(id: RecordID.make(), at: now, actorID: nil, actorEmail: String(email.lowercased().prefix(200)), client: client,
                               category: .change, action: "password reset link asked", subjectType: "users", subjectID: nil, outcome: 202,
                               before: nil, after: nil)
        return try await store.write { db in
            let sql = store.sql(db)
            let asked = try await PasswordReset.ask(email: email, client: client, services: services, now: now, on: sql)
            if case .sent = asked { try await AuditLogRepository.append(event, on: sql) }
            return asked
        }
    }

    /// Shared with the pages: checks the new password, spends the link, ends every session, and logs it.
    static func complete(token: String, password: String, on req: Request) async throws {
        try PasswordReset.checkStrength(password)
        let store = req.store
        let now = req.now
        guard try await PasswordReset.holder(of: token, now: now, on: store.sql) != nil else {
            throw DomainError.invalid("token", "This link has been used or has lapsed; ask for a new one.")
        }
        let hash = try await req.password.async.hash(password)
        let client = req.clientAddress
        try await store.write { db in
            let sql = store.sql(db)
            let userID = try await PasswordReset.complete(token: token, passwordHash: hash, now: now, on: sql)
            try await AuditLogRepository.append(AuditEvent(id: RecordID.make(), at: now, actorID: userID, actorEmail: nil, client: client, category: .change,
                                                 action: "password reset with an emailed link; every session and token ended",
                                                 subjectType: "users", subjectID: userID.uuidString.lowercased(), outcome: 204, before: nil, after: nil),
                                      on: sql)
        }
    }
}

struct PasswordResetAsk: Content {
    var email: String
}

struct PasswordResetComplete: Content {
    var token: String
    var password: String
}

/// The one answer to asking for a link.
struct PasswordResetAsked: Content {
    var detail = "If the address belongs to an account here, a link to choose a new password is on its way. It works once, within an hour."
}
