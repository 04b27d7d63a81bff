import CasebookCore
import Foundation
import SQLKit

/// The admin-written texts customers read today, which are what can be translated: a translation is always of one
/// of these, and is shown only while its original still reads the same.
enum TranslationSources {
    static func texts(_ kind: TranslatableKind, on sql: any SQLDatabase) async throws -> [TranslatableText] {
        switch kind {
        case .category:
            return try await offeredCategories(on: sql).flatMap { category in
                [TranslatableText(kind: .category, itemID: category.id, field: "name", item: category.name, source: category.name)]
                    + (category.description.isEmpty ? [] : [TranslatableText(kind: .category, itemID: category.id, field: "description",
                                                                             item: category.name, source: category.description)])
            }
        case .intake:
            var texts: [TranslatableText] = []
            for category in try await offeredCategories(on: sql) {
                guard let flow = try await IntakeRepository.current(categoryID: category.id, on: sql) else { continue }
                for question in flow.flow.questions {
                    texts += TranslatableText.intakeFields(of: question).map {
                        TranslatableText(kind: .intake, itemID: category.id, field: $0.field, item: category.name, source: $0.source)
                    }
                }
            }
            return texts
        case .problem:
            // The title customers see on their case and in the fix notice, and the workaround.
            return try await ProblemRepository.list(status: nil, on: sql).filter { $0.status != .closed }.flatMap { problem in
                [TranslatableText(kind: .problem, itemID: problem.id, field: "title", item: problem.title, source: problem.title)]
                    + (problem.workaround.flatMap { $0.isEmpty ? nil : $0 }.map {
                        [TranslatableText(kind: .problem, itemID: problem.id, field: "workaround", item: problem.title, source: $0)]
                    } ?? [])
            }
        case .notice:
            // A sent notice is history: only drafts still reach anyone.
            return try await NoticeRepository.notices(limit: 200, on: sql).filter { $0.sentAt == nil }.flatMap { notice in
                [TranslatableText(kind: .notice, itemID: notice.id, field: "subject", item: notice.subject, source: notice.subject),
                 TranslatableText(kind: .notice, itemID: notice.id, field: "body", item: notice.subject, source: notice.body)]
            }
        }
    }

    /// Every translatable text of every kind.
    static func all(on sql: any SQLDatabase) async throws -> [TranslatableText] {
        var texts: [TranslatableText] = []
        for kind in TranslatableKind.allCases { texts += try await self.texts(kind, on: sql) }
        return texts
    }

    private static func offeredCategories(on sql: any SQLDatabase) async throws -> [CatalogRepository.CategorySummary] {
        try await CatalogRepository.categorySummaries(on: sql).filter { $0.retiredAt == nil }
    }
}
