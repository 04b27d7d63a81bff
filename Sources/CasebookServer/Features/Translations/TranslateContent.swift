import CasebookCore
import Foundation
import SQLKit

/// Lists, writes and removes translations of admin-written content; a translation is always of a text customers read
/// today, into a language pages are offered in other than the one the content is written in.
struct TranslateContent {
    let services: CasebookServices

    /// The languages content is translated into.
    var targetLanguages: [String] { WebText.languages.filter { $0 != services.configuration.contentLanguage } }

    /// Every text of `kind` (all kinds when nil) with its state in each of `languages`.
    func entries(languages: [String], kind: TranslatableKind?, on sql: any SQLDatabase) async throws -> [TranslationEntry] {
        let originals = if let kind { try await TranslationSources.texts(kind, on: sql) } else { try await TranslationSources.all(on: sql) }
        var entries: [TranslationEntry] = []
        for language in languages {
            let kept = Dictionary(try await ContentTranslationRepository.all(language: language, kind: kind, on: sql).map { (Key($0), $0) },
                                  uniquingKeysWith: { first, _ in first })
            entries += originals.map {
                TranslationEntry($0, sourceLanguage: services.configuration.contentLanguage, language: language, translation: kept[Key($0)])
            }
        }
        return entries
    }

    /// Writes the translation of one text; the original it was made from is kept with it.
    func save(_ kind: TranslatableKind, _ itemID: UUID, field: String, language: String, text raw: String, by userID: UUID,
              on sql: any SQLDatabase) async throws -> TranslationEntry {
        let original = try await self.original(kind, itemID, field: field, language: language, on: sql)
        let text: String
        do { text = try ContentTranslation.checked(raw) } catch {
            throw DomainError.invalid("text", error == .empty ? "must not be empty" : "must be at most \(ContentTranslation.maximumLength) characters")
        }
        let translation = ContentTranslation(kind: kind, itemID: itemID, field: field, language: language, text: text, source: original.source)
        try await ContentTranslationRepository.save(translation, by: userID, at: services.clock(), on: sql)
        return TranslationEntry(original, sourceLanguage: services.configuration.contentLanguage, language: language, translation: translation)
    }

    /// Removes a translation: customers read the original again.
    func remove(_ kind: TranslatableKind, _ itemID: UUID, field: String, language: String, on sql: any SQLDatabase) async throws {
        _ = try await original(kind, itemID, field: field, language: language, on: sql)
        try await ContentTranslationRepository.delete(kind, itemID, field, language: language, on: sql)
    }

    /// The texts one reader sees, for the items a page shows.
    func texts(_ kind: TranslatableKind, items: [UUID], language: String, on sql: any SQLDatabase) async throws -> TranslatedTexts {
        let contentLanguage = services.configuration.contentLanguage
        guard language != contentLanguage, WebText.languages.contains(language) else { return .untranslated(contentLanguage: contentLanguage) }
        let kept = try await ContentTranslationRepository.of(kind, items: items, language: language, on: sql)
        return TranslatedTexts(language: language, contentLanguage: contentLanguage, translations: kept)
    }

    private func original(_ kind: TranslatableKind, _ itemID: UUID, field: String, language: String,
                          on sql: any SQLDatabase) async throws -> TranslatableText {
        guard targetLanguages.contains(language) else {
            throw DomainError.invalid("language", "must be one of \(targetLanguages.joined(separator: ", ")) (content is written in \(services.configuration.contentLanguage))")
        }
        guard let original = try await TranslationSources.texts(kind, item: itemID, on: sql).first(where: { $0.field == field }) else {
            throw DomainError.notFound("The \(kind.rawValue) text '\(field.prefix(80))'")
        }
        return original
    }

    private struct Key: Hashable {
        let kind: TranslatableKind, itemID: UUID, field: String
        init(_ text: TranslatableText) { (kind, itemID, field) = (text.kind, text.itemID, text.field) }
        init(_ translation: ContentTranslation) { (kind, itemID, field) = (translation.kind, translation.itemID, translation.field) }
    }
}
