import Foundation
import SQLKit

/// How people must sign in, set by admins on the Account page: for now, whether staff must use a second factor.
struct SignInSettings: Codable, Sendable, Equatable {
    var twoFactorRequiredForStaff = false

    enum CodingKeys: String, CodingKey { case twoFactorRequiredForStaff = "two_factor_required_for_staff" }

    static let key = "sign_in"

    static func load(on sql: any SQLDatabase) async throws -> SignInSettings {
        guard let value = try await SiteSettingRepository.value(key, on: sql),
              let settings = try? JSONDecoder().decode(SignInSettings.self, from: Data(value.utf8))
        else { return SignInSettings() }
        return settings
    }

    func save(on sql: any SQLDatabase) async throws {
        let value = String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        try await SiteSettingRepository.put(Self.key, value: value, on: sql)
    }
}
