import CasebookCore
import Foundation
import SQLKit

/// The audit log's table: entries are only ever added (the database refuses changes, see `CreateSecurityRecords`).
enum AuditLogRepository {
    static let table = "audit_events"

    static func append(_ event: AuditEvent, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: table)
            .columns("id", "at", "actor_id", "actor_email", "client", "category", "action", "subject_type", "subject_id", "outcome", "before", "after")
            .values(SQLBind(event.id), SQLBind(event.at), SQLBind(event.actorID), SQLBind(event.actorEmail), SQLBind(event.client),
                    SQLBind(event.category.rawValue), SQLBind(String(event.action.prefix(300))), SQLBind(event.subjectType),
                    SQLBind(event.subjectID.map { String($0.prefix(200)) }), SQLBind(event.outcome), SQLBind(event.before), SQLBind(event.after))
            .run()
    }

    /// Newest first.
    static func find(_ query: AuditQuery, on sql: any SQLDatabase) async throws -> [AuditEvent] {
        var select = sql.select().columns(columns).from(table)
        if let category = query.category { select = select.where("category", .equal, category.rawValue) }
        if let actorID = query.actorID { select = select.where("actor_id", .equal, actorID) }
        if let type = query.subjectType { select = select.where("subject_type", .equal, type) }
        if let id = query.subjectID { select = select.where("subject_id", .equal, id) }
        if let since = query.since { select = select.where("at", .greaterThanOrEqual, since) }
        if let until = query.until { select = select.where("at", .lessThan, until) }
        if let id = query.olderThan {
            // The cursor's time is read in SQL: a Date read back and bound again may not equal the stored value to the last bit.
            let cursorAt = SQLQueryString("(SELECT at FROM \(ident: table) WHERE id = \(bind: id))")
            select = select.where {
                $0.where(SQLColumn("at"), .lessThan, cursorAt)
                    .orWhere { $0.where(SQLColumn("at"), .equal, cursorAt).where("id", .lessThan, id) }
            }
        }
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = "%" + text.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            select = select.where {
                $0.where(SQLFunction("LOWER", args: SQLColumn("action")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("actor_email")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("client")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("subject_id")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("before")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("after")), .like, SQLBind(pattern))
            }
        }
        return try await select.orderBy("at", .descending).orderBy("id", .descending).limit(query.limit).all().map(decode)
    }

    static func find(id: UUID, on sql: any SQLDatabase) async throws -> AuditEvent? {
        try await sql.select().columns(columns).from(table).where("id", .equal, id).first().map(decode)
    }

    private static let columns = ["id", "at", "actor_id", "actor_email", "client", "category", "action", "subject_type", "subject_id",
                                  "outcome", "before", "after"]

    private static func decode(_ row: any SQLRow) throws -> AuditEvent {
        AuditEvent(id: try row.decode(column: "id", as: UUID.self), at: try row.decode(column: "at", as: Date.self),
                   actorID: try row.decode(column: "actor_id", as: UUID?.self), actorEmail: try row.decode(column: "actor_email", as: String?.self),
                   client: try row.decode(column: "client", as: String?.self),
                   category: AuditScope.Category(rawValue: try row.decode(column: "category", as: String.self)) ?? .change,
                   action: try row.decode(column: "action", as: String.self),
                   subjectType: try row.decode(column: "subject_type", as: String?.self),
                   subjectID: try row.decode(column: "subject_id", as: String?.self),
                   outcome: try row.decode(column: "outcome", as: Int.self),
                   before: try row.decode(column: "before", as: String?.self), after: try row.decode(column: "after", as: String?.self))
    }
}
