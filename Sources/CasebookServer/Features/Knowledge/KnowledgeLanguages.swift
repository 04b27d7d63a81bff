import Foundation
import SQLKit

/// Which version of each article a reader gets: theirs when a published public translation exists, else the
/// original, else the one found. A family is listed once.
enum KnowledgeLanguages {
    static func pick(_ found: [UUID], for language: String, on sql: any SQLDatabase) async throws -> [ArticleTranslationRepository.Version] {
        try await picks(found, for: language, on: sql).map(\.version)
    }

    /// The same, each with the found article it stands for (so its rank carries over).
    static func picks(_ found: [UUID], for language: String,
                      on sql: any SQLDatabase) async throws -> [(found: UUID, version: ArticleTranslationRepository.Version)] {
        let versions = try await ArticleTranslationRepository.families(of: found, on: sql)
        let byID = Dictionary(versions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byFamily = Dictionary(grouping: versions.filter(\.isPublic), by: \.original)
        var seen = Set<UUID>()
        var picked: [(found: UUID, version: ArticleTranslationRepository.Version)] = []
        for id in found {
            guard let article = byID[id], seen.insert(article.original).inserted else { continue }
            let family = byFamily[article.original] ?? []
            picked.append((id, family.first { $0.language == language } ?? family.first { $0.id == $0.original } ?? article))
        }
        return picked
    }
}
