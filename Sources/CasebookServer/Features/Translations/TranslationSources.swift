import CasebookCore
import Foundation
import SQLKit

/// The admin-written texts customers read today, which are what can be translated: a translation is always of one
/// of these, and is shown only while its original still reads the same.
enum TranslationSources {
    /// The texts of `kind`; of one item only when `item` is given, so writing one translation reads one item.
    static func texts(_ kind: TranslatableKind, item: UUID? = nil, on sql: any SQLDatabase) async throws -> [TranslatableText] {
        switch kind {
        case .category: try await offeredCategories(item, on: sql).flatMap(categoryTexts)
        case .intake: try await intakeTexts(item, on: sql)
        case .problem: try await problems(item, on: sql).flatMap(problemTexts)
        case .notice: try await draftNotices(item, on: sql).flatMap(noticeTexts)
        }
    }

    private static func categoryTexts(_ category: CatalogRepository.CategorySummary) -> [TranslatableText] {
        [TranslatableText(kind: .category, itemID: category.id, field: "name", item: category.name, source: category.name)]
            + (category.description.isEmpty ? [] : [TranslatableText(kind: .category, itemID: category.id, field: "description",
                                                                     item: category.name, source: category.description)])
    }

    private static func intakeTexts(_ item: UUID?, on sql: any SQLDatabase) async throws -> [TranslatableText] {
        var texts: [TranslatableText] = []
        for category in try await offeredCategories(item, on: sql) {
            guard let flow = try await IntakeRepository.current(categoryID: category.id, on: sql) else { continue }
            for question in flow.flow.questions {
                texts += TranslatableText.intakeFields(of: question).map {
                    TranslatableText(kind: .intake, itemID: category.id, field: $0.field, item: category.name, source: $0.source)
                }
            }
        }
        return texts
    }

    /// The title customers see on their case and in the fix notice, and the workaround, of problems not closed.
    private static func problems(_ item: UUID?, on sql: any SQLDatabase) async throws -> [ProblemView] {
        let found = if let item { try await ProblemRepository.find(item, on: sql).map { [$0] } ?? [] }
                    else { try await ProblemRepository.list(status: nil, on: sql) }
        return found.filter { $0.status != .closed }
    }

    private static func problemTexts(_ problem: ProblemView) -> [TranslatableText] {
        [TranslatableText(kind: .problem, itemID: problem.id, field: "title", item: problem.title, source: problem.title)]
            + (problem.workaround.flatMap { $0.isEmpty ? nil : $0 }.map {
                [TranslatableText(kind: .problem, itemID: problem.id, field: "workaround", item: problem.title, source: $0)]
            } ?? [])
    }

    /// A sent notice is history: only drafts still reach anyone.
    private static func draftNotices(_ item: UUID?, on sql: any SQLDatabase) async throws -> [NoticeRepository.Notice] {
        let found = if let item { try await NoticeRepository.findNotice(item, on: sql).map { [$0] } ?? [] }
                    else { try await NoticeRepository.notices(limit: 200, on: sql) }
        return found.filter { $0.sentAt == nil }
    }

    private static func noticeTexts(_ notice: NoticeRepository.Notice) -> [TranslatableText] {
        [TranslatableText(kind: .notice, itemID: notice.id, field: "subject", item: notice.subject, source: notice.subject),
         TranslatableText(kind: .notice, itemID: notice.id, field: "body", item: notice.subject, source: notice.body)]
    }

    /// Every translatable text of every kind.
    static func all(on sql: any SQLDatabase) async throws -> [TranslatableText] {
        var texts: [TranslatableText] = []
        for kind in TranslatableKind.allCases { texts += try await self.texts(kind, on: sql) }
        return texts
    }

    private static func offeredCategories(_ item: UUID?, on sql: any SQLDatabase) async throws -> [CatalogRepository.CategorySummary] {
        try await CatalogRepository.categorySummaries(on: sql).filter { $0.retiredAt == nil && (item == nil || $0.id == item) }
    }
}
