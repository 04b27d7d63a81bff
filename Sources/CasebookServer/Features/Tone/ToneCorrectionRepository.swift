import CasebookCore
import Foundation
import SQLKit

/// One correction as the API shows it.
struct ToneCorrectionView: Codable, Sendable {
    var id: UUID
    var reference: String
    var messageID: UUID
    var from: String
    var to: String
    var language: String
    var correctedBy: String?
    var correctedAt: Date
    /// The message's words, so the correction can be read and exported as a labelled example.
    var text: String

    enum CodingKeys: String, CodingKey {
        case id, reference, from, to, language, text
        case messageID = "message_id", correctedBy = "corrected_by", correctedAt = "corrected_at"
    }
}

/// How often one reading was corrected to another.
struct ToneCorrectionCount: Codable, Sendable, Equatable {
    var from: String
    var to: String
    var language: String
    var count: Int
}

/// The `tone_corrections` table, and the message and case tones a correction changes.
enum ToneCorrectionRepository {
    /// A message on a case with its tone and words; nil when the case has no such message.
    static func message(_ id: UUID, caseID: UUID, on sql: any SQLDatabase) async throws -> (tone: String?, text: String)? {
        guard let row = try await sql.select().columns("tone", "text").from("messages")
            .where("id", .equal, id).where("case_id", .equal, caseID).first() else { return nil }
        return (try row.decode(column: "tone", as: String?.self), try row.decode(column: "text", as: String.self))
    }

    /// Records the correction and sets the message's tone; the case takes it too when this is its latest customer message.
    static func correct(messageID: UUID, caseID: UUID, from: Tone, to: Tone, language: WrittenLanguage, by userID: UUID?, at now: Date,
                        on sql: any SQLDatabase) async throws -> UUID {
        let id = RecordID.make()
        try await sql.insert(into: "tone_corrections")
            .columns("id", "message_id", "case_id", "from_tone", "to_tone", "language", "corrected_by", "corrected_at")
            .values(SQLBind(id), SQLBind(messageID), SQLBind(caseID), SQLBind(from.rawValue), SQLBind(to.rawValue), SQLBind(language.rawValue),
                    SQLBind(userID), SQLBind(now)).run()
        try await sql.update("messages").set("tone", to: to.rawValue).where("id", .equal, messageID).run()
        let latest = try await sql.select().column("id").from("messages")
            .where("case_id", .equal, caseID).where("tone", .isNot, SQLLiteral.null)
            .orderBy("created_at", .descending).limit(1).first()
        if try latest?.decode(column: "id", as: UUID.self) == messageID {
            try await sql.update("cases").set("tone", to: to.rawValue).where("id", .equal, caseID).run()
        }
        return id
    }

    /// Corrections since a moment, newest first, with the case, the message's words and who corrected it.
    static func list(since: Date, limit: Int, prefix: String, on sql: any SQLDatabase) async throws -> [ToneCorrectionView] {
        let rows = try await sql.raw("""
            SELECT t.id, t.message_id, t.from_tone, t.to_tone, t.language, t.corrected_at, c.number, m.text, u.name AS corrected_by
            FROM tone_corrections t JOIN cases c ON c.id = t.case_id JOIN messages m ON m.id = t.message_id
            LEFT JOIN users u ON u.id = t.corrected_by
            WHERE t.corrected_at >= \(bind: since) ORDER BY t.corrected_at DESC, t.id LIMIT \(bind: limit)
            """).all()
        return try rows.map { row in
            ToneCorrectionView(id: try row.decode(column: "id", as: UUID.self),
                               reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                               messageID: try row.decode(column: "message_id", as: UUID.self), from: try row.decode(column: "from_tone", as: String.self),
                               to: try row.decode(column: "to_tone", as: String.self), language: try row.decode(column: "language", as: String.self),
                               correctedBy: try row.decode(column: "corrected_by", as: String?.self),
                               correctedAt: try row.decode(column: "corrected_at", as: Date.self), text: try row.decode(column: "text", as: String.self))
        }
    }

    /// How many corrections of each kind since a moment, most frequent first.
    static func counts(since: Date, on sql: any SQLDatabase) async throws -> [ToneCorrectionCount] {
        try await sql.raw("""
            SELECT from_tone, to_tone, language, COUNT(*) AS n FROM tone_corrections WHERE corrected_at >= \(bind: since)
            GROUP BY from_tone, to_tone, language ORDER BY n DESC, from_tone, to_tone, language
            """).all().map { row in
            ToneCorrectionCount(from: try row.decode(column: "from_tone", as: String.self), to: try row.decode(column: "to_tone", as: String.self),
                                language: try row.decode(column: "language", as: String.self), count: try row.decode(column: "n", as: Int.self))
        }
    }

    /// The messages of a case whose tone an agent set, with the name of the last one who did.
    static func corrected(caseID: UUID, on sql: any SQLDatabase) async throws -> [UUID: String] {
        let rows = try await sql.raw("""
            SELECT t.message_id, u.name FROM tone_corrections t LEFT JOIN users u ON u.id = t.corrected_by
            WHERE t.case_id = \(bind: caseID) ORDER BY t.corrected_at
            """).all()
        var names: [UUID: String] = [:]
        for row in rows { names[try row.decode(column: "message_id", as: UUID.self)] = try row.decode(column: "name", as: String?.self) ?? "" }
        return names
    }

    /// How many customer messages were read in the same period, for the share corrected.
    static func messagesRead(since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM messages WHERE tone IS NOT NULL AND created_at >= \(bind: since)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
