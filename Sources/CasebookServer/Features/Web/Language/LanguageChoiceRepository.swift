import Foundation
import SQLKit

/// The language a person chose for their pages and mail.
enum LanguageChoiceRepository {
    /// Stores a person's language.
    static func setLanguage(_ language: String, for userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("language", to: language).where("id", .equal, userID).run()
    }
}
