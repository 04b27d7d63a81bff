import CasebookCore
import Foundation
import SQLKit

/// A person's authenticator secret (on their user row) and their single-use recovery codes (hashed).
enum TwoFactorRepository {
    static func state(of userID: UUID, on sql: any SQLDatabase) async throws -> TwoFactor.State {
        let row = try await sql.select().columns("totp_secret", "totp_enabled_at", "totp_last_step").from("users").where("id", .equal, userID).first()
        let remaining = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("recovery_codes")
            .where("user_id", .equal, userID).where("used_at", .is, SQLLiteral.null).first()?.decode(column: "n", as: Int.self) ?? 0
        return TwoFactor.State(secret: try row?.decode(column: "totp_secret", as: String?.self),
                               enabledAt: try row?.decode(column: "totp_enabled_at", as: Date?.self),
                               lastStep: try row?.decode(column: "totp_last_step", as: Int64?.self), recoveryCodesRemaining: remaining)
    }

    /// Sets the secret (nil to forget it) and whether and since when it is in force.
    static func setSecret(_ secret: String?, enabledAt: Date?, lastStep: Int64?, of userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("totp_secret", to: secret).set("totp_enabled_at", to: enabledAt)
            .set("totp_last_step", to: lastStep).where("id", .equal, userID).run()
    }

    static func enable(at now: Date, step: Int64, of userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("totp_enabled_at", to: now).set("totp_last_step", to: step).where("id", .equal, userID).run()
    }

    /// Remembers the last time step used, so the same code cannot be replayed.
    static func setLastStep(_ step: Int64, of userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("totp_last_step", to: step).where("id", .equal, userID).run()
    }

    static func replaceRecoveryCodes(of userID: UUID, hashes: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
        for hash in hashes {
            try await sql.insert(into: "recovery_codes").columns("id", "user_id", "code_hash")
                .values(SQLBind(RecordID.make()), SQLBind(userID), SQLBind(hash)).run()
        }
    }

    /// Spends an unused recovery code; false when there is none with this hash.
    static func spendRecoveryCode(hash: String, of userID: UUID, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.update("recovery_codes").set("used_at", to: now).where("user_id", .equal, userID)
            .where("code_hash", .equal, hash).where("used_at", .is, SQLLiteral.null).returning("id").all().isEmpty
    }
}
