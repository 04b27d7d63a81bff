import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Password reset by email: a single-use link that lapses after an hour, the same answer whether or not the address
/// is known, a throttle on asking, and every session and token of the person ended when the new password is set.
enum PasswordReset {
    static let lifetime: TimeInterval = 60 * 60
    /// Links asked for one address, and asks from one client, within the throttle's window.
    static let perAddress = 3
    static let perClient = 10

    /// What asking answers, always: whether a mail went out is not told.
    enum Asked { case sent, throttled(Int) }

    /// Mails a link to `email` when it belongs to an active person; a newer link replaces any older one.
    static func ask(email rawEmail: String, client: String, services: CasebookServices, now: Date, on sql: any SQLDatabase) async throws -> Asked {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = [("reset:" + email, perAddress), ("reset-client:" + client, perClient)]
        if let wait = try await LoginThrottle.retryAfter(keys: keys, now: now, on: sql) { return .throttled(wait) }
        try await LoginThrottle.record(keys: keys.map(\.0), now: now, on: sql)
        guard email.contains("@"), email.count <= 254,
              let person = try await PasswordResetRepository.activePerson(email: email, on: sql)
        else { return .sent }
        let token = RandomToken.make()
        try await PasswordResetRepository.issue(tokenHash: TokenHasher.hash(token), for: person.id, at: now, expiresAt: now.addingTimeInterval(lifetime), on: sql)
        let language = LanguagePreference.pick(preferred: person.language, acceptLanguage: nil,
                                               supported: WebText.languages)
        let strings = services.texts.strings(language)
        let link = services.configuration.equipment.publicURL + "/password/reset?token=" + token
        let text = (strings["reset_mail_body"] ?? "Open this link within an hour to choose a new password:\n\n{link}\n\nIf you did not ask, ignore this mail; your password stays as it is.")
            .replacingOccurrences(of: "{name}", with: person.name)
            .replacingOccurrences(of: "{link}", with: link)
        try await Outbox.enqueueFromDesk(to: MailAddress(name: nil, address: email), subject: strings["reset_mail_subject"] ?? "Choose a new password",
                                         text: text, kind: .passwordReset, caseID: nil, isAutomatic: true, settings: services.configuration.outbound,
                                         on: sql, now: now)
        return .sent
    }

    /// The person a link is for, while it is unused and unexpired.
    static func holder(of token: String, now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        guard RandomToken.isWellFormed(token) else { return nil }
        return try await PasswordResetRepository.holder(tokenHash: TokenHasher.hash(token), at: now, on: sql)
    }

    /// Spends the link and sets the password (already hashed); every session and API token of the person ends.
    static func complete(token: String, passwordHash: String, now: Date, on sql: any SQLDatabase) async throws -> UUID {
        guard let userID = try await holder(of: token, now: now, on: sql) else {
            throw DomainError.invalid("token", "This link has been used or has lapsed; ask for a new one.")
        }
        let email = try await PasswordResetRepository.spend(tokenHash: TokenHasher.hash(token), userID: userID, passwordHash: passwordHash,
                                                            at: now, on: sql)
        try await WebSessions.end(of: userID, keeping: nil, on: sql)
        try await LoginThrottle.recordSuccess(email: email ?? "", on: sql)
        return userID
    }

    /// The rule every new password meets, wherever it is set.
    static func checkStrength(_ password: String) throws {
        guard password.count >= 10, password.count <= 200 else { throw DomainError.invalid("password", "must be 10 to 200 characters") }
    }
}
