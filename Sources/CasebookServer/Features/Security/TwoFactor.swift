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
        try await TwoFactorRepository.state(of: userID, on: sql)
    }

    /// Starts enrolment: a new secret, not yet in force; an enabled second factor must be turned off first.
    static func begin(for userID: UUID, on sql: any SQLDatabase) async throws -> String {
        guard try await !state(of: userID, on: sql).isEnabled else {
            throw DomainError.conflict("Two-factor sign-in is already on; turn it off first to enrol another device.")
        }
        let secret = Base32.encode(OneTimeCode.newSecret())
        try await TwoFactorRepository.setSecret(secret, enabledAt: nil, lastStep: nil, of: userID, on: sql)
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
        try await TwoFactorRepository.enable(at: now, step: step, of: userID, on: sql)
        return try await newRecoveryCodes(for: userID, on: sql)
    }

    /// Replaces every recovery code with ten new ones.
    static func newRecoveryCodes(for userID: UUID, on sql: any SQLDatabase) async throws -> [String] {
        var codes: [String] = []
        for _ in 0..<recoveryCodeCount {
            let raw = Base32.encode(OneTimeCode.newSecret()).lowercased()
            let code = raw.prefix(5) + "-" + raw.dropFirst(5).prefix(5)
            codes.append(String(code))
        }
        try await TwoFactorRepository.replaceRecoveryCodes(of: userID, hashes: codes.map(hash), on: sql)
        return codes
    }

    /// Turns the second factor off and forgets the secret and the recovery codes.
    static func disable(for userID: UUID, on sql: any SQLDatabase) async throws {
        try await TwoFactorRepository.setSecret(nil, enabledAt: nil, lastStep: nil, of: userID, on: sql)
        try await TwoFactorRepository.replaceRecoveryCodes(of: userID, hashes: [], on: sql)
    }

    /// Whether `code` — six digits from the app, or an unused recovery code — proves the second factor; a code that
    /// works is spent.
    static func check(_ code: String, for userID: UUID, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let current = try await state(of: userID, on: sql)
        guard current.isEnabled, let secret = current.secret.flatMap(Base32.decode) else { return false }
        if let step = OneTimeCode.verify(code, secret: secret, at: now, usedUpTo: current.lastStep) {
            try await TwoFactorRepository.setLastStep(step, of: userID, on: sql)
            return true
        }
        return try await TwoFactorRepository.spendRecoveryCode(hash: hash(code), of: userID, at: now, on: sql)
    }

    /// Recovery codes are compared without case, spaces or dashes, as people type them.
    static func hash(_ code: String) -> String {
        TokenHasher.hash(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
