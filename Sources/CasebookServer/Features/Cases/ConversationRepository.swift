import CasebookCore
import Foundation
import SQLKit

/// A case's conversation: its messages, timeline entries and attachments.
enum ConversationRepository {
    /// The position of a case's last timeline entry, 0 when it has none.
    static func lastTimelinePosition(caseID: UUID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COALESCE(MAX(position), 0) AS last FROM timeline_entries WHERE case_id = \(bind: caseID)").first()
        return try row?.decode(column: "last", as: Int.self) ?? 0
    }

    /// A case's messages in order, internal notes only when asked for.
    static func messages(caseID: UUID, includeInternal: Bool, on sql: any SQLDatabase) async throws -> [MessageRecord] {
        var select = sql.select().columns(MessageRecord.columnList).from("messages").where("case_id", .equal, caseID)
        if !includeInternal { select = select.where("visibility", .equal, Visibility.public.rawValue) }
        return try await select.orderBy("created_at").orderBy("id").all().map(MessageRecord.init(row:))
    }

    /// The messages customers wrote on a case (not staff replies or notes), oldest first: their own words.
    static func customerMessages(caseID: UUID, on sql: any SQLDatabase) async throws -> [(id: UUID, text: String, at: Date)] {
        try await sql.raw("""
            SELECT m.id, m.text, m.created_at FROM messages m JOIN users u ON u.id = m.author_id
            WHERE m.case_id = \(bind: caseID) AND u.role = \(bind: Role.customer.rawValue) ORDER BY m.created_at, m.id
            """).all().map { row in
            (try row.decode(column: "id", as: UUID.self), try row.decode(column: "text", as: String.self), try row.decode(column: "created_at", as: Date.self))
        }
    }

    /// A case's entries in order, internal ones only for those who may see them.
    static func timeline(caseID: UUID, includeInternal: Bool, on sql: any SQLDatabase) async throws -> [TimelineEntryView] {
        var select = sql.select()
            .columns("position", "kind", "actor_id", "field", "old_value", "new_value", "message_id", "visibility", "created_at")
            .from("timeline_entries").where("case_id", .equal, caseID)
        if !includeInternal { select = select.where("visibility", .equal, Visibility.public.rawValue) }
        return try await select.orderBy("position").all().map(TimelineEntryView.init(row:))
    }

    /// Attachments of a case or a message, each with the id of the message it came with.
    static func attachments(caseID: UUID? = nil, messageID: UUID? = nil, on sql: any SQLDatabase) async throws -> [(UUID, AttachmentView)] {
        var select = sql.select().columns("id", "message_id", "filename", "content_type", "size", "sha256").from("attachments")
        if let caseID { select = select.where("case_id", .equal, caseID) }
        if let messageID { select = select.where("message_id", .equal, messageID) }
        return try await select.orderBy("created_at").orderBy("filename").all().map { row in
            (try row.decode(column: "message_id", as: UUID.self), try AttachmentView(row: row))
        }
    }

    /// The latest public update staff wrote on a case, other than `messageID`.
    static func lastPublicStaffUpdate(caseID: UUID, excluding messageID: UUID?, on sql: any SQLDatabase) async throws -> (id: UUID, text: String)? {
        var query: SQLQueryString = """
            SELECT messages.id AS id, messages.text AS text FROM messages JOIN users ON users.id = messages.author_id
            WHERE messages.case_id = \(bind: caseID) AND messages.visibility = 'public' AND users.role <> 'customer'
            """
        if let messageID { query = query + " AND messages.id <> \(bind: messageID)" }
        query = query + " ORDER BY messages.created_at DESC LIMIT 1"
        return try await sql.raw(query).first().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "text", as: String.self)) }
    }

    /// Records a file attached to a message; its bytes are already in the content store under `sha256`.
    static func addAttachment(messageID: UUID, caseID: UUID, filename: String, contentType: String, size: Int, sha256: String, at now: Date,
                              on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "attachments")
            .columns("id", "message_id", "case_id", "filename", "content_type", "size", "sha256", "created_at")
            .values(SQLBind(RecordID.make()), SQLBind(messageID), SQLBind(caseID), SQLBind(filename), SQLBind(contentType),
                    SQLBind(size), SQLBind(sha256), SQLBind(now))
            .run()
    }
}
