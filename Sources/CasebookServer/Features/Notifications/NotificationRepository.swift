import CasebookCore
import Foundation
import SQLKit

/// One notice for one agent, as stored.
struct AgentNotice: Sendable, Equatable {
    var id: UUID = RecordID.make()
    let userID: UUID
    let caseID: UUID
    let kind: NotificationKind
    let actorID: UUID?
    let excerpt: String?
    let createdAt: Date
}

/// A notice as the list shows it: with the case's reference and subject and who did it.
struct NotificationView: Sendable, Equatable, Codable {
    let id: UUID
    let kind: NotificationKind
    let caseReference: String
    let caseSubject: String
    let actorName: String?
    let excerpt: String?
    let createdAt: Date
    let readAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, excerpt
        case caseReference = "case_reference", caseSubject = "case_subject", actorName = "actor_name", createdAt = "created_at", readAt = "read_at"
    }
}

/// A member of staff a notice can go to.
struct NoticeRecipient: Sendable, Equatable {
    let id: UUID
    let email: String
    let name: String
    let language: String
}

/// The in-app notices, each agent's preferences, and case followers.
enum NotificationRepository {
    static func insert(_ notices: [AgentNotice], on sql: any SQLDatabase) async throws {
        guard !notices.isEmpty else { return }
        var insert = sql.insert(into: "agent_notifications").columns("id", "user_id", "case_id", "kind", "actor_id", "excerpt", "created_at", "read_at")
        for notice in notices {
            insert = insert.values(SQLBind(notice.id), SQLBind(notice.userID), SQLBind(notice.caseID), SQLBind(notice.kind.rawValue),
                                   SQLBind(notice.actorID), SQLBind(notice.excerpt), SQLBind(notice.createdAt), SQLLiteral.null)
        }
        try await insert.run()
    }

    /// A person's notices, newest first.
    static func list(for userID: UUID, unreadOnly: Bool, limit: Int, prefix: String, on sql: any SQLDatabase) async throws -> [NotificationView] {
        let unread: SQLQueryString = unreadOnly ? "AND n.read_at IS NULL" : ""
        let rows = try await sql.raw("""
            SELECT n.id, n.kind, n.excerpt, n.created_at, n.read_at, c.number, c.subject, a.name AS actor_name
            FROM agent_notifications n JOIN cases c ON c.id = n.case_id LEFT JOIN users a ON a.id = n.actor_id
            WHERE n.user_id = \(bind: userID) \(unread) ORDER BY n.created_at DESC, n.id DESC LIMIT \(bind: limit)
            """).all()
        return try rows.compactMap { row in
            guard let kind = NotificationKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return NotificationView(id: try row.decode(column: "id", as: UUID.self), kind: kind,
                                    caseReference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                                    caseSubject: try row.decode(column: "subject", as: String.self), actorName: try row.decode(column: "actor_name", as: String?.self),
                                    excerpt: try row.decode(column: "excerpt", as: String?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                                    readAt: try row.decode(column: "read_at", as: Date?.self))
        }
    }

    static func unreadCount(for userID: UUID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM agent_notifications WHERE user_id = \(bind: userID) AND read_at IS NULL").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The case one of a person's notices is about, or nil when the notice is not theirs.
    static func caseOf(_ id: UUID, for userID: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("case_id").from("agent_notifications").where("id", .equal, id).where("user_id", .equal, userID).first()?
            .decode(column: "case_id", as: UUID.self)
    }

    /// Marks these of a person's notices read (all of them when `ids` is nil).
    static func markRead(_ ids: [UUID]?, for userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        if let ids, ids.isEmpty { return }
        var update = sql.update("agent_notifications").set("read_at", to: SQLBind(now)).where("user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
        if let ids { update = update.where("id", .in, SQLBind.group(ids)) }
        try await update.run()
    }

    /// Marks read a person's unread notices about one case: opening the case is reading them.
    static func markCaseRead(_ caseID: UUID, for userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("agent_notifications").set("read_at", to: SQLBind(now)).where("user_id", .equal, userID)
            .where("case_id", .equal, caseID).where("read_at", .is, SQLLiteral.null).run()
    }

    // MARK: Preferences

    /// Each person's choices, every kind filled in (with the standard choice where they made none).
    static func preferences(of userIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [NotificationKind: NotificationPreference]] {
        guard !userIDs.isEmpty else { return [:] }
        var result: [UUID: [NotificationKind: NotificationPreference]] = [:]
        for id in userIDs { result[id] = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0, NotificationPreference.standard($0)) }) }
        let rows = try await sql.select().columns("user_id", "kind", "in_app", "email").from("notification_preferences")
            .where("user_id", .in, SQLBind.group(userIDs)).all()
        for row in rows {
            guard let kind = NotificationKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            result[try row.decode(column: "user_id", as: UUID.self)]?[kind] = NotificationPreference(
                kind: kind, inApp: try row.decode(column: "in_app", as: Bool.self), email: try row.decode(column: "email", as: Bool.self))
        }
        return result
    }

    static func savePreferences(_ choices: [NotificationPreference], for userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "notification_preferences").where("user_id", .equal, userID)
            .where("kind", .in, SQLBind.group(choices.map(\.kind.rawValue))).run()
        guard !choices.isEmpty else { return }
        var insert = sql.insert(into: "notification_preferences").columns("id", "user_id", "kind", "in_app", "email")
        for choice in choices {
            insert = insert.values(SQLBind(RecordID.make()), SQLBind(userID), SQLBind(choice.kind.rawValue), SQLBind(choice.inApp), SQLBind(choice.email))
        }
        try await insert.run()
    }

    // MARK: People

    /// The active members of staff among `ids`.
    static func recipients(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [NoticeRecipient] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().columns("id", "email", "name", "language").from("users")
            .where("id", .in, SQLBind.group(Array(ids))).where("active", .equal, true).where("role", .notEqual, Role.customer.rawValue)
            .all().map { row in
                NoticeRecipient(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                                name: try row.decode(column: "name", as: String.self), language: try row.decode(column: "language", as: String.self))
            }
    }

    /// Anyone's name (a customer's too: they reply).
    static func name(of userID: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("name").from("users").where("id", .equal, userID).first()?.decode(column: "name", as: String.self)
    }

    /// Everyone a note can mention: the active staff.
    static func mentionable(on sql: any SQLDatabase) async throws -> [Mentions.Person] {
        try await sql.select().columns("id", "email", "name").from("users").where("active", .equal, true)
            .where("role", .notEqual, Role.customer.rawValue).all().map { row in
                Mentions.Person(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                                name: try row.decode(column: "name", as: String.self))
            }
    }

    /// The active members of a group: who hears about an unassigned case's service level.
    static func members(of groupID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("user_id").from("group_memberships").where("group_id", .equal, groupID).all()
            .map { try $0.decode(column: "user_id", as: UUID.self) }
    }
}
