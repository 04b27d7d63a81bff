import CasebookCore
import Fluent
import SQLKit
import Vapor

/// Operations the command line runs against a configured application.
public enum AdminOperations {
    /// Adds a person; the password, when given, is hashed with the configured Bcrypt cost.
    public static func addUser(_ app: Application, email: String, name: String, role: String, organisation: String?,
                               password: String?) async throws -> String {
        guard let role = Role(rawValue: role) else {
            throw DomainError.invalid("role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var organisationID: UUID?
        if let organisation {
            let found = try await OrganisationRepository.find(nameOrID: organisation, on: app.db)
            guard let found else { throw DomainError.invalid("org", "names no known organisation (give its name or id)") }
            organisationID = found.id
        }
        let input = UserCreateRequest(email: email, name: name, role: role, organisationID: organisationID, password: password)
        let services = app.casebook
        let hasher = app.password
        let user = try await services.store.write { db in
            try await RegisterUser(services: services, hasher: hasher).run(input, on: db)
        }
        return "\(user.email) (\(user.role)) id \(user.id?.uuidString.lowercased() ?? "?")"
    }

    /// Issues an API token for the person with this email; returns the token (shown once).
    public static func issueToken(_ app: Application, email: String, name: String) async throws -> String {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await UserRepository.find(email: address, on: app.db) else {
            throw DomainError.notFound("A person with email \(address)")
        }
        let userID = try user.requireID()
        let now = app.casebook.clock()
        return try await app.casebook.store.write { db in
            try await IssueToken.run(for: userID, name: name, at: now, on: db).token
        }
    }

    /// A human sentence for an error the CLI prints.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let config as ConfigurationError: config.description
        default: Problem.reason(error)
        }
    }
}

extension AdminOperations {
    /// Stores one raw message and applies it; returns what happened. Throws only when it was not stored.
    public static func deliverEmail(_ app: Application, raw: Data) async throws -> String {
        let outcome = try await ReceiveEmail(services: app.casebook).deliverNow(raw, runner: app.jobs)
        let stored = "stored \(outcome.id.uuidString.lowercased())"
        switch outcome.status {
        case "processed": return stored + (outcome.caseReference.map { ", applied to \($0)" } ?? ", applied")
        case "failed", "received":
            app.logger.warning("inbound message stored but not applied", metadata: ["inbound-id": "\(outcome.id)"])
            return stored + ", not applied yet (queued for retry): \(outcome.error ?? "unknown error")"
        default: return stored + ", \(outcome.status.replacingOccurrences(of: "_", with: " "))"
        }
    }
}

extension AdminOperations {
    /// Drops a scratch PostgreSQL schema (benchmarks clean up after themselves).
    public static func dropSchema(_ app: Application, _ schema: String) async throws {
        guard let sql = app.db as? any SQLDatabase, schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return }
        try await ExportSession.dropSchema(schema, on: sql)
    }
}
