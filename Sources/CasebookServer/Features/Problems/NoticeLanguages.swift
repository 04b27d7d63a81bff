import CasebookCore
import Foundation
import SQLKit
import Vapor

/// A proactive notice in each recipient's language: translated on the translations page while it is a draft, sent
/// to each reader in theirs where both its subject and message are translated, and as written otherwise.
struct NoticeLanguages {
    let services: CasebookServices

    /// How many recipients read each language, and whether the notice reaches them in it.
    struct Coverage: Content, Equatable {
        var language: String
        var recipients: Int
        var translated: Bool
    }

    func coverage(_ id: UUID, subject: String, body: String, recipients: [NoticeController.Recipient],
                  on sql: any SQLDatabase) async throws -> [Coverage] {
        var coverage: [Coverage] = []
        for (language, readers) in Dictionary(grouping: recipients, by: \.language).sorted(by: { $0.key < $1.key }) {
            let words = try await self.words(id, subject: subject, body: body, language: language, on: sql)
            coverage.append(Coverage(language: language, recipients: readers.count, translated: words.inLanguage))
        }
        return coverage
    }

    /// The subject and message one reader gets; `inLanguage` is false when they get the original for want of a translation.
    func words(_ id: UUID, subject: String, body: String, language: String,
               on sql: any SQLDatabase) async throws -> (subject: String, body: String, inLanguage: Bool) {
        let translating = TranslateContent(services: services)
        guard translating.targetLanguages.contains(language) else { return (subject, body, language == services.configuration.contentLanguage) }
        let texts = try await translating.texts(.notice, items: [id], language: language, on: sql)
        let translatedSubject = texts.text(.notice, id, "subject", source: subject), translatedBody = texts.text(.notice, id, "body", source: body)
        // Half a translation would mix two languages in one mail: both or neither.
        guard !translatedSubject.fellBack, !translatedBody.fellBack else { return (subject, body, false) }
        return (translatedSubject.text, translatedBody.text, true)
    }
}
