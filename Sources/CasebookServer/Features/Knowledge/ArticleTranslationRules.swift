import CasebookCore
import Foundation
import SQLKit

/// What makes a family of translated articles sound: a translation names the original (never another translation),
/// is in another language, and each language appears once in a family.
enum ArticleTranslationRules {
    static func check(_ article: ArticleView, on sql: any SQLDatabase) async throws {
        let name = { (code: String) in WebText.nativeNames[code] ?? code }
        guard let original = article.translationOf else {
            if let clash = try await ArticleTranslationRepository.translation(of: article.id, language: article.language, except: article.id, on: sql) {
                throw DomainError.invalid("language", "its translation “\(clash)” is already in \(name(article.language))")
            }
            return
        }
        guard original != article.id else { throw DomainError.invalid("translation_of", "cannot name the article itself") }
        guard let source = try await ArticleTranslationRepository.original(of: original, on: sql) else {
            throw DomainError.invalid("translation_of", "names no article")
        }
        guard source.translationOf == nil else { throw DomainError.invalid("translation_of", "must name the original, not another translation of it") }
        guard source.language != article.language else {
            throw DomainError.invalid("translation_of", "“\(source.title)” is in \(name(article.language)) too; a translation is in another language")
        }
        if try await ArticleTranslationRepository.hasTranslations(article.id, on: sql) {
            throw DomainError.invalid("translation_of", "this article has translations of its own, so it stays an original")
        }
        if let other = try await ArticleTranslationRepository.translation(of: original, language: article.language, except: article.id, on: sql) {
            throw DomainError.invalid("translation_of", "“\(source.title)” already has a translation in \(name(article.language)): “\(other)”")
        }
    }

    /// The other versions of an article's family, original first, then by language.
    static func links(of article: ArticleView, on sql: any SQLDatabase) async throws -> [ArticleLanguageLink] {
        try await ArticleTranslationRepository.families(of: [article.id], on: sql).filter { $0.id != article.id }
            .map { ArticleLanguageLink(id: $0.id, language: $0.language, title: $0.title, original: $0.id == $0.original) }
            .sorted { ($0.original ? 0 : 1, $0.language) < ($1.original ? 0 : 1, $1.language) }
    }
}
