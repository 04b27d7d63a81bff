import Foundation
import SQLKit

/// The articles suggested to customers before they file a case, which they read, and whether they filed anyway:
/// the rows deflection is counted from.
enum KnowledgeSuggestionRepository {
    static func record(_ id: UUID, userID: UUID, query: String, articleIDs: [UUID], at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "knowledge_suggestions").columns("id", "user_id", "query", "article_ids", "shown_at")
            .values(SQLBind(id), SQLBind(userID), SQLBind(String(query.prefix(500))),
                    SQLBind(articleIDs.map { $0.uuidString.lowercased() }.joined(separator: ",")), SQLBind(now)).run()
    }

    /// Who was shown a suggestion and which articles it held.
    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> (userID: UUID?, articleIDs: [String])? {
        try await sql.select().columns("user_id", "article_ids").from("knowledge_suggestions").where("id", .equal, id).first().map { row in
            (try row.decode(column: "user_id", as: UUID?.self), try row.decode(column: "article_ids", as: String.self).split(separator: ",").map(String.init))
        }
    }

    /// Notes the first article read from a suggestion.
    static func markRead(_ id: UUID, articleID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("knowledge_suggestions").set("read_article_id", to: articleID).set("read_at", to: now)
            .where("id", .equal, id).where("read_at", .is, SQLLiteral.null).run()
    }

    /// Notes that the visitor filed a case after seeing the suggestion (the first case counts).
    static func markFiled(_ id: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("knowledge_suggestions").set("filed_case_id", to: caseID).set("filed_at", to: now)
            .where("id", .equal, id).where("filed_case_id", .is, SQLLiteral.null).run()
    }

    /// Suggestions shown, read, and read but followed by a case anyway.
    static func counts(on sql: any SQLDatabase) async throws -> (shown: Int, read: Int, readThenFiled: Int) {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS shown_count, COUNT(read_at) AS read_count,
                   COALESCE(SUM(CASE WHEN read_at IS NOT NULL AND filed_case_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS filed_count
            FROM knowledge_suggestions
            """).first()
        return (try row?.decode(column: "shown_count", as: Int.self) ?? 0, try row?.decode(column: "read_count", as: Int.self) ?? 0,
                try row?.decode(column: "filed_count", as: Int.self) ?? 0)
    }
}
