import CasebookCore
import Foundation
import SQLKit

/// The outbox table: composed mail waiting, sent, failed, bounced or suppressed, and the attempts to send it.
enum OutboxRepository {
    /// One outbox row as admins see it.
    /// One outgoing mail as stored, and as the API shows it.
    struct Row: Codable, Sendable {
        let id: UUID
        let kind: String
        let recipients: [String]
        let subject: String
        let messageID: String
        let status: String
        let attempts: Int
        let lastError: String?
        let bounceReason: String?
        let createdAt: Date
        let sentAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, kind, recipients, subject, status, attempts
            case messageID = "message_id", lastError = "last_error", bounceReason = "bounce_reason", createdAt = "created_at", sentAt = "sent_at"
        }
    }

    /// What a delivery attempt needs: the envelope, the bytes, and whether the row still waits.
    struct Envelope: Sendable {
        let sender: String
        let recipients: [String]
        let raw: String
        let status: String
    }

    /// A new outbox row; `status` is "queued" or "suppressed" (nobody left to send to).
    struct NewMail: Sendable {
        let id: UUID
        let caseID: UUID?
        let kind: OutboundKind
        let sender: String
        let recipients: [String]
        let subject: String
        let messageID: String
        let raw: String
        let status: String
        let note: String?
    }

    static func insert(_ mail: NewMail, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "outbound_messages")
            .columns("id", "case_id", "kind", "sender", "recipients", "subject", "message_id", "raw", "status", "attempts", "last_error", "created_at")
            .values(SQLBind(mail.id), SQLBind(mail.caseID), SQLBind(mail.kind.rawValue), SQLBind(mail.sender),
                    SQLBind(mail.recipients.joined(separator: ",")), SQLBind(String(mail.subject.prefix(250))), SQLBind(mail.messageID),
                    SQLBind(mail.raw), SQLBind(mail.status), SQLBind(0), SQLBind(mail.note), SQLBind(now))
            .run()
    }

    static func envelope(_ id: UUID, on sql: any SQLDatabase) async throws -> Envelope? {
        try await sql.select().columns("sender", "recipients", "raw", "status").from("outbound_messages").where("id", .equal, id).first()
            .map { row in
                Envelope(sender: try row.decode(column: "sender", as: String.self),
                         recipients: try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init),
                         raw: try row.decode(column: "raw", as: String.self), status: try row.decode(column: "status", as: String.self))
            }
    }

    /// Records a failed attempt: the row waits for the next one, or is failed for good.
    static func recordFailure(_ id: UUID, attempt: Int, reason: String, permanent: Bool, on sql: any SQLDatabase) async throws {
        try await sql.update("outbound_messages").set("attempts", to: attempt).set("last_error", to: String(reason.prefix(500)))
            .set("status", to: permanent ? "failed" : "queued").where("id", .equal, id).run()
    }

    static func markSent(_ id: UUID, attempt: Int, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("outbound_messages").set("status", to: "sent").set("attempts", to: attempt)
            .set("sent_at", to: now).set("last_error", to: SQLLiteral.null).where("id", .equal, id).run()
    }

    /// Our rows with these Message-IDs and how often each was tried.
    static func attempts(messageIDs: Set<String>, on sql: any SQLDatabase) async throws -> [(id: UUID, attempts: Int)] {
        try await sql.select().columns("id", "attempts").from("outbound_messages").where("message_id", .in, Array(messageIDs)).all().map { row in
            (try row.decode(column: "id", as: UUID.self), try row.decode(column: "attempts", as: Int.self))
        }
    }

    /// Puts a row back in the queue with the reason it is waiting, attempts kept (or reset for an admin's retry).
    static func requeue(_ id: UUID, reason: String?, resettingAttempts: Bool, on sql: any SQLDatabase) async throws {
        var update = sql.update("outbound_messages").set("status", to: "queued")
        if let reason { update = update.set("last_error", to: String(reason.prefix(500))) }
        if resettingAttempts { update = update.set("attempts", to: 0) }
        try await update.where("id", .equal, id).run()
    }

    /// Marks our rows with these Message-IDs bounced; returns how many there were.
    static func markBounced(messageIDs: Set<String>, reason: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.update("outbound_messages").set("status", to: "bounced").set("bounce_reason", to: String(reason.prefix(500)))
            .where("message_id", .in, Array(messageIDs)).returning("id").all().count
    }

    static func status(of id: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("status").from("outbound_messages").where("id", .equal, id).first()?.decode(column: "status", as: String.self)
    }

    static let columns = ["id", "kind", "recipients", "subject", "message_id", "status", "attempts", "last_error", "bounce_reason", "created_at", "sent_at"]

    /// The newest rows, optionally with one status.
    static func list(status: String?, limit: Int, on sql: any SQLDatabase) async throws -> [Row] {
        var select = sql.select().columns(columns.map { SQLIdentifier($0) }).from("outbound_messages")
        if let status { select = select.where("status", .equal, status) }
        return try await select.orderBy("created_at", .descending).limit(limit).all().map(row)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> Row? {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("outbound_messages").where("id", .equal, id).first().map(row)
    }

    private static func row(_ row: any SQLRow) throws -> Row {
        Row(id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
            recipients: try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init),
            subject: try row.decode(column: "subject", as: String.self), messageID: try row.decode(column: "message_id", as: String.self),
            status: try row.decode(column: "status", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
            lastError: try row.decode(column: "last_error", as: String?.self), bounceReason: try row.decode(column: "bounce_reason", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), sentAt: try row.decode(column: "sent_at", as: Date?.self))
    }
}
