import CasebookCore
import SQLKit
import Vapor

/// `/outbound/email`: the outbox as admins see it: what was sent, what waits, what failed or bounced.
struct OutboundEmailController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let outbound = routes.grouped("outbound", "email")
        outbound.get(use: list)
        outbound.post(":id", "retry", use: retry)
    }

    static let statuses = ["queued", "sent", "failed", "bounced", "suppressed"]

    /// One outbox row.
    struct OutboundView: Content {
        var id: UUID
        var kind: String
        var recipients: [String]
        var subject: String
        var messageID: String
        var status: String
        var attempts: Int
        var lastError: String?
        var bounceReason: String?
        var createdAt: Date
        var sentAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, kind, recipients, subject, status, attempts
            case messageID = "message_id", lastError = "last_error", bounceReason = "bounce_reason", createdAt = "created_at", sentAt = "sent_at"
        }

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            kind = try row.decode(column: "kind", as: String.self)
            recipients = try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init)
            subject = try row.decode(column: "subject", as: String.self)
            messageID = try row.decode(column: "message_id", as: String.self)
            status = try row.decode(column: "status", as: String.self)
            attempts = try row.decode(column: "attempts", as: Int.self)
            lastError = try row.decode(column: "last_error", as: String?.self)
            bounceReason = try row.decode(column: "bounce_reason", as: String?.self)
            createdAt = try row.decode(column: "created_at", as: Date.self)
            sentAt = try row.decode(column: "sent_at", as: Date?.self)
        }
    }

    static let columns = ["id", "kind", "recipients", "subject", "message_id", "status", "attempts", "last_error", "bounce_reason", "created_at", "sent_at"]

    @Sendable func list(req: Request) async throws -> [OutboundView] {
        try req.authorize(.ingestEmail)
        var select = req.store.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("outbound_messages")
        if let status = req.query[String.self, at: "status"] {
            guard Self.statuses.contains(status) else {
                throw Problem.badRequest("Query parameter 'status' must be one of \(Self.statuses.joined(separator: ", ")).")
            }
            select = select.where("status", .equal, status)
        }
        return try await select.orderBy("created_at", .descending).limit(200).all().map(OutboundView.init(row:))
    }

    /// Sends a failed message again (for example after fixing the relay settings).
    @Sendable func retry(req: Request) async throws -> OutboundView {
        try req.authorize(.ingestEmail)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The outbound message") }
        let now = req.now
        let job = try await req.store.write { db -> UUID? in
            let sql = req.store.sql(db)
            guard let row = try await sql.select().column("status").from("outbound_messages").where("id", .equal, id).first() else {
                throw Problem.notFound("The outbound message")
            }
            guard try row.decode(column: "status", as: String.self) == "failed" else {
                throw Problem.conflict("Only a failed message can be sent again.")
            }
            try await sql.update("outbound_messages").set("status", to: "queued").set("attempts", to: 0).where("id", .equal, id).run()
            return try await JobQueue.enqueueOrRequeue(.sendEmail, OutboundPayload(outboundID: id), dedupeKey: Outbox.jobKey(id), at: now, on: sql)
        }
        if let job { _ = await req.application.jobs.runNow(job) }
        guard let row = try await req.store.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("outbound_messages")
            .where("id", .equal, id).first() else { throw Problem.notFound("The outbound message") }
        return try OutboundView(row: row)
    }
}
