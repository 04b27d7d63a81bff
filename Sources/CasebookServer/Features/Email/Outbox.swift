import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Puts composed mail in the outbox and queues its delivery, inside the caller's transaction.
enum Outbox {
    /// Stores `mail` and queues a job to send it; returns the outbox row id.
    @discardableResult
    static func enqueue(_ mail: OutgoingMail, kind: OutboundKind, caseID: UUID?, on sql: any SQLDatabase, now: Date) async throws -> UUID {
        let id = RecordID.make()
        var mail = mail
        // Marks the mail as ours: if it ever comes back in, it is recognised as a loop and not applied.
        mail.extraHeaders.append(("X-Loop", mail.from.address))
        let raw = MailComposer.compose(mail)
        try await sql.insert(into: "outbound_messages")
            .columns("id", "case_id", "kind", "sender", "recipients", "subject", "message_id", "raw", "status", "attempts", "created_at")
            .values(SQLBind(id), SQLBind(caseID), SQLBind(kind.rawValue), SQLBind(mail.from.address),
                    SQLBind(mail.to.map(\.address).joined(separator: ",")), SQLBind(String(mail.subject.prefix(250))),
                    SQLBind(mail.messageID), SQLBind(String(decoding: raw, as: UTF8.self)), SQLBind("queued"), SQLBind(0), SQLBind(now))
            .run()
        try await JobQueue.enqueue(.sendEmail, OutboundPayload(outboundID: id), dedupeKey: jobKey(id), runAt: now, on: sql)
        return id
    }

    /// The queue key of the job that sends outbox row `id`: one job per message, ever.
    static func jobKey(_ id: UUID) -> String { "send:\(id.uuidString.lowercased())" }

    /// A fresh Message-ID in our domain, so replies and bounces can be matched to what we sent.
    static func messageID(domain: String) -> String {
        "cb.\(UUID().uuidString.lowercased())@\(domain)"
    }

    /// Sends one outbox row (the `email.send` job); a row already sent is left alone.
    static func deliver(_ id: UUID, services: CasebookServices, transport: MailTransport, attempt: Int, maxAttempts: Int) async throws {
        let sql = services.store.sql
        guard let row = try await sql.select().columns("sender", "recipients", "raw", "status").from("outbound_messages")
            .where("id", .equal, id).first() else { return }
        guard try row.decode(column: "status", as: String.self) == "queued" else { return }
        let recipients = try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init)
        do {
            try await transport.send(Data(try row.decode(column: "raw", as: String.self).utf8), id: id,
                                     from: try row.decode(column: "sender", as: String.self), to: recipients)
        } catch {
            let permanent = (error as? SMTPClientError)?.isPermanent == true || attempt >= maxAttempts
            let reason = String(String(describing: error).prefix(500))
            try await services.store.write { db in
                try await services.store.sql(db).update("outbound_messages").set("attempts", to: attempt).set("last_error", to: reason)
                    .set("status", to: permanent ? "failed" : "queued").where("id", .equal, id).run()
            }
            // A refusal the relay calls permanent will not change by retrying: stop here, visible as failed.
            if permanent { return }
            throw error
        }
        let now = services.clock()
        try await services.store.write { db in
            try await services.store.sql(db).update("outbound_messages").set("status", to: "sent").set("attempts", to: attempt)
                .set("sent_at", to: now).set("last_error", to: SQLLiteral.null).where("id", .equal, id).run()
        }
    }

    /// Marks what a delivery report says bounced: the Message-IDs of ours that it mentions.
    static func recordBounce(raw: Data, domain: String, reason: String, on sql: any SQLDatabase) async throws -> Int {
        let text = String(decoding: raw, as: UTF8.self)
        var ids = Set<String>()
        var rest = Substring(text)
        while let start = rest.range(of: "<cb.") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: ">") else { break }
            let candidate = "cb." + after[..<end]
            if candidate.hasSuffix("@" + domain), candidate.count < 200 { ids.insert(candidate) }
            rest = after[end...]
        }
        guard !ids.isEmpty else { return 0 }
        let rows = try await sql.update("outbound_messages").set("status", to: "bounced").set("bounce_reason", to: String(reason.prefix(500)))
            .where("message_id", .in, Array(ids)).returning("id").all()
        return rows.count
    }
}

/// The payload of an `email.send` job.
struct OutboundPayload: Codable, Sendable {
    let outboundID: UUID

    enum CodingKeys: String, CodingKey { case outboundID = "outbound_id" }
}
