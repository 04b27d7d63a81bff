import Foundation
import SQLKit

/// What finding similar cases reads: the cases sharing most index terms with a text, their descriptions and their problems.
enum SimilarCaseRepository {
    /// Cases other than `excluded` sharing any of `terms`, most shared terms first.
    static func sharingTerms(_ terms: [String], excluding excluded: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("""
            SELECT case_id, COUNT(*) AS shared FROM case_terms WHERE term IN (\(binds: terms)) AND case_id <> \(bind: excluded)
            GROUP BY case_id ORDER BY shared DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "case_id", as: UUID.self) }
    }

    /// Each case's first public message (its description), without reading the rest of the conversation.
    static func firstText(of ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: String] = [:]
        for row in try await sql.raw("""
            SELECT m.case_id, m.text FROM messages m JOIN (
                SELECT case_id, MIN(created_at) AS first FROM messages WHERE case_id IN (\(binds: ids)) AND visibility = 'public' GROUP BY case_id
            ) f ON f.case_id = m.case_id AND f.first = m.created_at WHERE m.visibility = 'public'
            """).all() {
            let caseID = try row.decode(column: "case_id", as: UUID.self)
            if result[caseID] == nil { result[caseID] = try row.decode(column: "text", as: String.self) }
        }
        return result
    }

    static func problemIDs(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: UUID] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: UUID] = [:]
        for row in try await sql.raw("SELECT case_id, problem_id FROM problem_cases WHERE case_id IN (\(binds: ids))").all() {
            result[try row.decode(column: "case_id", as: UUID.self)] = try row.decode(column: "problem_id", as: UUID.self)
        }
        return result
    }
}
