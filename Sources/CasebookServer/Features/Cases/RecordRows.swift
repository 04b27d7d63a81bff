import CasebookCore
import Foundation
import SQLKit

/// A message row, read and written with plain SQL on the hot paths.
struct MessageRecord: Sendable {
    var id: UUID
    var caseID: UUID
    var authorID: UUID?
    var visibility: String
    var channel: String
    var text: String
    var html: String?
    var createdAt: Date
    /// The Message-ID of the email this message arrived as (or was sent as), for threading.
    var emailMessageID: String?
    /// The customer's tone, for customer messages; with the evidence as JSON.
    var tone: String?
    var toneEvidence: String?

    init(id: UUID = RecordID.make(), caseID: UUID, authorID: UUID?, visibility: String, channel: String, text: String, html: String?, createdAt: Date,
         emailMessageID: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.authorID = authorID
        self.visibility = visibility
        self.channel = channel
        self.text = text
        self.html = html
        self.createdAt = createdAt
        self.emailMessageID = emailMessageID
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        caseID = try row.decode(column: "case_id", as: UUID.self)
        authorID = try row.decode(column: "author_id", as: UUID?.self)
        visibility = try row.decode(column: "visibility", as: String.self)
        channel = try row.decode(column: "channel", as: String.self)
        text = try row.decode(column: "text", as: String.self)
        html = try row.decode(column: "html", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        emailMessageID = try row.decode(column: "email_message_id", as: String?.self)
        tone = try row.decode(column: "tone", as: String?.self)
        toneEvidence = try row.decode(column: "tone_evidence", as: String?.self)
    }

    static let columns = ["id", "case_id", "author_id", "visibility", "channel", "text", "html", "created_at", "email_message_id", "tone", "tone_evidence"]
    static let columnList = SQLColumnList(columns)

    func insert(on sql: any SQLDatabase) async throws {
        try await Self.rowInsert.run([[.id(id), .id(caseID), RowValue(authorID), .text(visibility), .text(channel), .text(text), RowValue(html),
                                      .date(createdAt), RowValue(emailMessageID), RowValue(tone), RowValue(toneEvidence)]], on: sql)
    }

    private static let rowInsert = RowInsert(into: "messages", columns: columnList)
}

/// Timeline entries waiting to be written together.
struct TimelineBatch: Sendable {
    private var rows: [[RowValue]] = []

    mutating func add(caseID: UUID, position: Int, kind: TimelineKind, actorID: UUID?, field: String? = nil, old: String? = nil,
                      new: String? = nil, messageID: UUID? = nil, visibility: Visibility, at: Date) {
        rows.append([.id(RecordID.make()), .id(caseID), .integer(position), .text(kind.rawValue), RowValue(actorID), RowValue(field), RowValue(old),
                     RowValue(new), RowValue(messageID), .text(visibility.rawValue), .date(at)])
    }

    var isEmpty: Bool { rows.isEmpty }
    var count: Int { rows.count }

    private static let insert = RowInsert(into: "timeline_entries", columns: SQLColumnList([
        "id", "case_id", "position", "kind", "actor_id", "field", "old_value", "new_value", "message_id", "visibility", "created_at",
    ]))

    func write(on sql: any SQLDatabase) async throws {
        try await Self.insert.run(rows, on: sql)
    }
}
