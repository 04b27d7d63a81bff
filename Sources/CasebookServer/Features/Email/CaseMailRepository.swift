import CasebookCore
import Foundation
import SQLKit

/// What a case's outgoing mail reads and writes beside the outbox: who it goes to, the thread it joins, and how
/// many acknowledgements an address was already sent.
enum CaseMailRepository {
    /// A person mail is written to or signed by.
    struct Person: Sendable {
        let email: String
        let name: String
        let role: String
        let language: String
        var timeZone: String = "UTC"
    }

    static func person(_ id: UUID, on sql: any SQLDatabase) async throws -> Person? {
        try await sql.select().columns("email", "name", "role", "language", "time_zone").from("users").where("id", .equal, id).first().map { row in
            Person(email: try row.decode(column: "email", as: String.self), name: try row.decode(column: "name", as: String.self),
                   role: try row.decode(column: "role", as: String.self), language: try row.decode(column: "language", as: String.self),
                   timeZone: try row.decode(column: "time_zone", as: String.self))
        }
    }

    /// How many acknowledgements went to an address since a moment.
    static func acknowledgementsSent(to address: String, since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM outbound_messages WHERE kind = 'acknowledgement' AND recipients = \(bind: address)
            AND created_at >= \(bind: since)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Message-IDs already in the case's conversation (theirs and ours), oldest first, the last `limit`.
    static func threadIDs(_ caseID: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [String] {
        let ids = try await sql.raw("""
            SELECT email_message_id AS id, created_at FROM messages WHERE case_id = \(bind: caseID) AND email_message_id IS NOT NULL
            UNION ALL SELECT message_id AS id, created_at FROM outbound_messages WHERE case_id = \(bind: caseID) AND kind <> 'notification'
            ORDER BY created_at
            """).all().map { try $0.decode(column: "id", as: String.self) }
        return Array(ids.suffix(limit))
    }

    /// Records the Message-ID a reply went out under on the message it carried.
    static func setEmailMessageID(_ emailMessageID: String, of messageID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("messages").set("email_message_id", to: emailMessageID).where("id", .equal, messageID).run()
    }
}
