import Foundation
import SQLKit

/// Slows password guessing: after 5 failed sign-ins for one address, or 20 from one client, within 15 minutes,
/// further attempts are refused until the window passes. Kept in the database so every instance sees the same count.
enum LoginThrottle {
    static let window: TimeInterval = 15 * 60
    static let perAccount = 5
    static let perClient = 20

    static func keys(email: String, client: String) -> [(key: String, limit: Int)] {
        [("account:" + email.lowercased(), perAccount), ("client:" + client, perClient)]
    }

    /// Seconds until the caller may try again, or nil when they may try now.
    static func retryAfter(email: String, client: String, now: Date, on sql: any SQLDatabase) async throws -> Int? {
        try await retryAfter(keys: keys(email: email, client: client), now: now, on: sql)
    }

    /// The same count for any keys and limits (password-reset requests use their own).
    static func retryAfter(keys: [(key: String, limit: Int)], now: Date, on sql: any SQLDatabase) async throws -> Int? {
        for (key, limit) in keys {
            let recent = try await LoginFailureRepository.recent(key: key, since: now.addingTimeInterval(-window), limit: limit, on: sql)
            if recent.count >= limit, let oldest = recent.last {
                return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
            }
        }
        return nil
    }

    static func recordFailure(email: String, client: String, now: Date, on sql: any SQLDatabase) async throws {
        try await record(keys: keys(email: email, client: client).map(\.key), now: now, on: sql)
    }

    static func record(keys: [String], now: Date, on sql: any SQLDatabase) async throws {
        for key in keys {
            try await LoginFailureRepository.add(key: key, at: now, on: sql)
        }
        try await LoginFailureRepository.forget(before: now.addingTimeInterval(-window), on: sql)
    }

    /// A successful sign-in clears the account's failures (not the client's, so one good password does not reset a spray).
    static func recordSuccess(email: String, on sql: any SQLDatabase) async throws {
        try await LoginFailureRepository.forget(key: "account:" + email.lowercased(), on: sql)
    }
}
