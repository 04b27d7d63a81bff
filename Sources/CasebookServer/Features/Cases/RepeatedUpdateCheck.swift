import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Compares a public update with the previous public staff update on the same case.
enum RepeatedUpdateCheck {
    /// A warning shown with an update (never blocking): it repeats the previous one.
    struct Warning: Content, Equatable {
        var kind = "similar_update"
        var similarity: Double
        var threshold: Double
        var previousMessageID: UUID

        enum CodingKeys: String, CodingKey {
            case kind, similarity, threshold
            case previousMessageID = "previous_message_id"
        }
    }

    /// The similarity to the latest earlier public staff update, when there is one.
    static func compare(_ text: String, caseID: UUID, excluding messageID: UUID?, on sql: any SQLDatabase) async throws -> Warning? {
        var query: SQLQueryString = """
            SELECT messages.id AS id, messages.text AS text FROM messages JOIN users ON users.id = messages.author_id
            WHERE messages.case_id = \(bind: caseID) AND messages.visibility = 'public' AND users.role <> 'customer'
            """
        if let messageID { query = query + " AND messages.id <> \(bind: messageID)" }
        query = query + " ORDER BY messages.created_at DESC LIMIT 1"
        guard let row = try await sql.raw(query).first() else { return nil }
        let score = UpdateSimilarity.score(text, try row.decode(column: "text", as: String.self))
        return Warning(similarity: score, threshold: UpdateSimilarity.warningThreshold, previousMessageID: try row.decode(column: "id", as: UUID.self))
    }
}
