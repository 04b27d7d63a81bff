import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Stored inbound mail: the row written before a delivery is acknowledged, what became of it, and the reads that
/// decide whether and where it is applied.
enum InboundRepository {
    /// One stored message as the admin list shows it.
    /// One stored message as listed, and as the API shows it.
    struct Row: Codable, Sendable {
        let id: UUID
        let sender: String?
        let subject: String
        let size: Int
        let status: String
        let error: String?
        let receivedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, sender, subject, size, status, error
            case receivedAt = "received_at"
        }
    }

    /// A stored message's state and bytes (inline, or nil when they sit in the attachment store under `sha256`).
    struct Stored: Sendable {
        let sha256: String
        let status: String
        let raw: Data?
    }

    /// The stored state of a message: its status, its error, and the number of the case it went to.
    struct Outcome: Sendable {
        let status: String
        let error: String?
        let caseNumber: Int?
    }

    /// The newest messages, optionally only those with one status.
    static func list(status: InboundStatus?, limit: Int, on sql: any SQLDatabase) async throws -> [Row] {
        var select = sql.select().columns("id", "sender", "subject", "size", "status", "error", "received_at").from("inbound_messages")
        if let status { select = select.where("status", .equal, status.rawValue) }
        return try await select.orderBy("received_at", .descending).limit(limit).all().map { row in
            Row(id: try row.decode(column: "id", as: UUID.self), sender: try row.decode(column: "sender", as: String?.self),
                subject: try row.decode(column: "subject", as: String.self), size: try row.decode(column: "size", as: Int.self),
                status: try row.decode(column: "status", as: String.self), error: try row.decode(column: "error", as: String?.self),
                receivedAt: try row.decode(column: "received_at", as: Date.self))
        }
    }

    /// The status of message `id`, or nil when there is no such message.
    static func status(of id: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("status").from("inbound_messages").where("id", .equal, id).first()?
            .decode(column: "status", as: String.self)
    }

    /// Whether a stored message is still to be applied: not yet processed, and not held unless it is being released.
    static func needsApplying(_ id: UUID, releasing: Bool, on sql: any SQLDatabase) async throws -> Bool {
        guard let status = try await status(of: id, on: sql) else { throw DomainError.notFound("The inbound message") }
        return status != InboundStatus.processed.rawValue && (status != InboundStatus.held.rawValue || releasing)
    }

    /// The message already stored with these exact bytes.
    static func id(ofDigest digest: String, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("id").from("inbound_messages").where("sha256", .equal, digest).first()?
            .decode(column: "id", as: UUID.self)
    }

    /// Records a received message; `raw` is kept in the row only when it is small enough to live there.
    static func insert(id: UUID, digest: String, headers: MailMessage, size: Int, raw: Data?, mailAccount: UUID?, at now: Date,
                       on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "inbound_messages")
            .columns("id", "sha256", "message_id", "sender", "subject", "size", "status", "received_at", "raw", "mail_account_id")
            .values(SQLBind(id), SQLBind(digest), SQLBind(headers.messageID), SQLBind(headers.author?.address),
                    SQLBind(String(headers.subject.prefix(250))), SQLBind(size), SQLBind(InboundStatus.received.rawValue), SQLBind(now),
                    SQLBind(raw), SQLBind(mailAccount))
            .run()
    }

    static func stored(_ id: UUID, on sql: any SQLDatabase) async throws -> Stored {
        guard let row = try await sql.select().columns("sha256", "status", "raw").from("inbound_messages").where("id", .equal, id).first() else {
            throw DomainError.notFound("The inbound message")
        }
        return Stored(sha256: try row.decode(column: "sha256", as: String.self), status: try row.decode(column: "status", as: String.self),
                      raw: try row.decode(column: "raw", as: Data?.self))
    }

    static func outcome(of id: UUID, on sql: any SQLDatabase) async throws -> Outcome {
        guard let row = try await sql.raw("""
            SELECT inbound_messages.status AS status, inbound_messages.error AS error, cases.number AS number
            FROM inbound_messages LEFT JOIN cases ON cases.id = inbound_messages.case_id WHERE inbound_messages.id = \(bind: id)
            """).first() else { throw DomainError.notFound("The inbound message") }
        return Outcome(status: try row.decode(column: "status", as: String.self), error: try row.decode(column: "error", as: String?.self),
                       caseNumber: try row.decode(column: "number", as: Int?.self))
    }

    /// Marks a message as applied (or kept aside) and clears any earlier error.
    static func finish(_ id: UUID, status: InboundStatus, caseID: UUID?, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("inbound_messages").set("status", to: status.rawValue).set("error", to: SQLLiteral.null)
            .set("case_id", to: caseID).set("processed_at", to: now).where("id", .equal, id).run()
    }

    static func markFailed(_ id: UUID, reason: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("inbound_messages").set("status", to: InboundStatus.failed.rawValue).set("error", to: String(reason.prefix(500)))
            .set("processed_at", to: now).where("id", .equal, id).run()
    }

    /// How many messages one sender delivered since a moment.
    static func count(from sender: String, since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM inbound_messages WHERE sender = \(bind: sender) AND received_at >= \(bind: since)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Whether a message with this Message-ID is already on a case.
    static func isApplied(messageID: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("messages").where("email_message_id", .equal, messageID).first() != nil
    }

    /// The number of the case whose conversation holds one of these Message-IDs (theirs or ours).
    static func caseNumber(threading ids: [String], on sql: any SQLDatabase) async throws -> Int? {
        guard !ids.isEmpty else { return nil }
        return try await sql.raw("""
            SELECT cases.number AS number FROM messages JOIN cases ON cases.id = messages.case_id
            WHERE messages.email_message_id IN (\(binds: ids))
            UNION ALL SELECT cases.number AS number FROM outbound_messages JOIN cases ON cases.id = outbound_messages.case_id
            WHERE outbound_messages.message_id IN (\(binds: ids))
            LIMIT 1
            """).first()?.decode(column: "number", as: Int.self)
    }
}
