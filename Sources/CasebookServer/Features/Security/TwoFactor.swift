import CasebookCore
import Foundation
import SQLKit

/// A person's second factor: an authenticator app's secret (pending until a first code confirms it) and ten
/// single-use recovery codes for the day the phone is lost.
enum TwoFactor {
    struct State: Sendable {
        var secret: String?
        var enabledAt: Date?
        var lastStep: Int64?
        var recoveryCodesRemaining: Int

        var isEnabled: Bool { enabledAt != nil && secret != nil }
        var isPending: Bool { enabledAt == nil && secret != nil }
    }

    static let recoveryCodeCount = 10

    static func state(of userID: UUID, on sql: any SQLDatabase) async throws -> State {
        let row = try await sql.select().columns("totp_secret", "totp_enabled_at", "totp_last_step").from("users").where("id", .equal, userID).first()
        let remaining = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("recovery_codes")
            .where("user_id", .equal, userID).where("used_at", .is, SQLLiteral.null).first()?.decode(column: "n", as: Int.self) ?? 0
        return State(secret: try row?.decode(column: "totp_secret", as: String?.self), enabledAt: try row?.decode(column: "totp_enabled_at", as: Date?.self),
                     lastStep: try row?.decode(column: "totp_last_step", as: Int64?.self), recoveryCodesRemaining: remaining)
    }

    /// Starts enrolment: a new secret, not yet in force; an enabled second factor must be turned off first.
    static func begin(for userID: UUID, on sql: any SQLDatabase) async throws -> String {
        guard try await !state(of: userID, on: sql).isEnabled else {
            throw DomainError.conflict("Two-factor sign-in is already on; turn it off first to enrol another device.")
        }
        let secret = Base32.encode(OneTimeCode.newSecret())
        try await sql.update("users").set("totp_secret", to: secret).set("totp_enabled_at", to: SQLLiteral.null)
            .set("totp_last_step", to: SQLLiteral.null).where("id", .equal, userID).run()
        return secret
    }

    /// Confirms enrolment with a first code from the app; returns the recovery codes, shown this once.
    static func confirm(for userID: UUID, code: String, now: Date, on sql: any SQLDatabase) async throws -> [String] {
        let current = try await state(of: userID, on: sql)
        guard current.isPending, let secret = current.secret.flatMap(Base32.decode) else {
            throw DomainError.conflict(current.isEnabled ? "Two-factor sign-in is already on." : "Start enrolment first.")
        }
        guard let step = OneTimeCode.verify(code, secret: secret, at: now, usedUpTo: nil) else {
            throw DomainError.invalid("code", "does not match; check the phone's clock and type the code the app shows now")
        }
        try await sql.update("users").set("totp_enabled_at", to: now).set("totp_last_step", to: step).where("id", .equal, userID).run()
        return try await newRecoveryCodes(for: userID, on: sql)
    }

    /// Replaces every recovery code with ten new ones.
    static func newRecoveryCodes(for userID: UUID, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
        var codes: [String] = []
        for _ in 0..<recoveryCodeCount {
            let raw = Base32.encode(OneTimeCode.newSecret()).lowercased()
            let code = raw.prefix(5) + "-" + raw.dropFirst(5).prefix(5)
            codes.append(String(code))
            try await sql.insert(into: "recovery_codes").columns("id", "user_id", "code_hash")
                .values(SQLBind(RecordID.make()), SQLBind(userID), SQLBind(hash(String(code)))).run()
        }
        return codes
    }

    /// Turns the second factor off and forgets the secret and the recovery codes.
    static func disable(for userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("totp_secret", to: SQLLiteral.null).set("totp_enabled_at", to: SQLLiteral.null)
            .set("totp_last_step", to: SQLLiteral.null).where("id", .equal, userID).run()
        try await sql.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
    }

    /// Whether `code` — six digits from the app, or an unused recovery code — proves the second factor; a code that
    /// works is spent.
    static func check(_ code: String, for userID: UUID, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let current = try await state(of: userID, on: sql)
        guard current.isEnabled, let secret = current.secret.flatMap(Base32.decode) else { return false }
        if let step = OneTimeCode.verify(code, secret: secret, at: now, usedUpTo: current.lastStep) {
            try await sql.update("users").set("totp_last_step", to: step).where("id", .equal, userID).run()
            return true
        }
        let used = try await sql.update("recovery_codes").set("used_at", to: now).where("user_id", .equal, userID)
            .where("code_hash", .equal, hash(code)).where("used_at", .is, SQLLiteral.null).returning("id").all()
        return !used.isEmpty
    }

    /// Recovery codes are compared without case, spaces or dashes, as people type them.
    static func hash(_ code: String) -> String {
        TokenHasher.hash(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
