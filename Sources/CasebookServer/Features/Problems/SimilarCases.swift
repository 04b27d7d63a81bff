import CasebookCore
import Foundation
import SQLKit

/// Finds open and recent cases like a given one: candidates by shared terms, then scored in the core.
enum SimilarCases {
    /// How far back closed cases still count as recent.
    static let recentDays = 30.0
    /// How many of the cases sharing the most terms are read and scored.
    static let candidates = 60

    /// Remembers a new case's distinct terms (of its subject and description), the index candidates come from.
    /// On SQLite the search queue does this for new cases (`SearchIndex.addOpening`), many cases at a time.
    static func index(caseID: UUID, text: String, on sql: any SQLDatabase) async throws {
        try await insert(terms(of: text).map { (caseID, $0) }, on: sql)
    }

    /// The terms a case is indexed under.
    static func terms(of text: String) -> [String] { KnowledgeTerms.query(text) }

    /// Writes index rows; each case's terms are distinct, and each case is indexed once.
    static func insert(_ terms: [(caseID: UUID, term: String)], on sql: any SQLDatabase) async throws {
        try await termInsert.run(terms.map { [.id($0.caseID), .text($0.term)] }, on: sql)
    }

    private static let termInsert = RowInsert(into: "case_terms", columns: SQLColumnList(["case_id", "term"]))

    struct Match: Sendable {
        let record: CaseRecord
        let score: CaseSimilarity.Score
        let problemID: UUID?
    }

    static func find(for record: CaseRecord, now: Date, limit: Int = 10, on sql: any SQLDatabase) async throws -> [Match] {
        let description = try await SimilarCaseRepository.firstText(of: [record.id], on: sql)[record.id] ?? ""
        let terms = KnowledgeTerms.query(record.subject + " " + description)
        guard !terms.isEmpty else { return [] }
        // The cases sharing most terms are the likeliest matches: scoring the first 60 of them finds the best few, and
        // reading and scoring 200 was a third of the case page's time.
        let candidates = try await SimilarCaseRepository.sharingTerms(terms, excluding: record.id, limit: Self.candidates, on: sql)
        let recent = now.addingTimeInterval(-recentDays * 86_400)
        let records = try await CaseRepository.find(ids: candidates, on: sql)
            .filter { $0.status.isActive || $0.createdAt >= recent }
        let texts = try await SimilarCaseRepository.firstText(of: records.map(\.id), on: sql)
        let problems = try await SimilarCaseRepository.problemIDs(records.map(\.id), on: sql)
        let facts = Self.facts(record, description)
        return records.map { other in
            Match(record: other, score: CaseSimilarity.score(facts, Self.facts(other, texts[other.id] ?? "")), problemID: problems[other.id])
        }.filter { $0.score.value >= CaseSimilarity.threshold }.sorted { $0.score.value > $1.score.value }.prefix(limit).map { $0 }
    }

    static func facts(_ record: CaseRecord, _ description: String) -> CaseSimilarity.Facts {
        CaseSimilarity.Facts(subject: record.subject, description: description, productID: record.productID.map { ProductID($0) },
                             productVersionID: record.productVersionID.map { ProductVersionID($0) }, categoryID: record.categoryID.map { CategoryID($0) })
    }
}
