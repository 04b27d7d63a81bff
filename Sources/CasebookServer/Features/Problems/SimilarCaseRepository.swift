import Foundation
import SQLKit

/// What finding similar cases reads: the cases sharing most index terms with a text, their descriptions and their problems.
enum SimilarCaseRepository {
    /// Cases other than `excluded` sharing any of `terms`, most shared terms first, among each term's newest `perTerm`
    /// cases: a rare term (an error code) brings all its cases, a common word only its recent ones, so the work stays
    /// the same at a million cases, and similar cases are wanted among the open and recent ones anyway.
    static func sharingTerms(_ terms: [String], excluding excluded: UUID, limit: Int, perTerm: Int = 400,
                             on sql: any SQLDatabase) async throws -> [UUID] {
        guard !terms.isEmpty else { return [] }
        let newest = terms.map { term in
            SQLQueryString("""
                SELECT case_id FROM (SELECT case_id FROM case_terms WHERE term = \(bind: term) AND case_id <> \(bind: excluded)
                ORDER BY case_id DESC LIMIT \(bind: perTerm)) AS newest
                """)
        }
        return try await sql.raw("""
            SELECT case_id, COUNT(*) AS shared FROM (\(SQLList(newest, separator: SQLRaw(" UNION ALL ")))) AS picked
            GROUP BY case_id ORDER BY shared DESC, case_id DESC LIMIT \(bind: limit)
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
