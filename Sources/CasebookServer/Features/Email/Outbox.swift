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
        // Addresses that bounced for good get nothing more; mail with nobody left is kept, visibly suppressed.
        let bounced = try await BouncedAddressRepository.bounced(among: (mail.to + mail.cc).map(\.address), on: sql)
        mail.to.removeAll { bounced.contains($0.address.lowercased()) }
        mail.cc.removeAll { bounced.contains($0.address.lowercased()) }
        // Copies ride along with mail for someone; they never receive it alone.
        let suppressed = mail.to.isEmpty
        let raw = MailComposer.compose(mail)
        try await sql.insert(into: "outbound_messages")
            .columns("id", "case_id", "kind", "sender", "recipients", "subject", "message_id", "raw", "status", "attempts", "last_error", "created_at")
            .values(SQLBind(id), SQLBind(caseID), SQLBind(kind.rawValue), SQLBind(mail.from.address),
                    SQLBind((suppressed ? bounced.sorted() : (mail.to + mail.cc).map(\.address)).joined(separator: ",")), SQLBind(String(mail.subject.prefix(250))),
                    SQLBind(mail.messageID), SQLBind(String(decoding: raw, as: UTF8.self)), SQLBind(suppressed ? "suppressed" : "queued"), SQLBind(0),
                    SQLBind(suppressed ? "not sent: the address bounced for good; clear it under Customers → Bounced addresses once fixed" : nil),
                    SQLBind(now))
            .run()
        guard !suppressed else { return id }
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

    /// How often mail that bounced for now (4.x.x) is sent again, and how long apart: a full mailbox or a greylist clears
    /// within hours.
    static let softBounceRetries = RetrySchedule(firstDelay: 15 * 60, maximumDelay: 6 * 3_600, maxAttempts: 4)

    /// Acts on a delivery report about mail we sent (the Message-IDs of ours it mentions): an address that failed for
    /// good (5.x.x) gets no more mail and the message is marked bounced; one that failed for now (4.x.x) is sent again
    /// later, up to `softBounceRetries`. Returns how many of our messages it concerned.
    static func recordBounce(raw: Data, domain: String, reason: String, at now: Date, on sql: any SQLDatabase) async throws -> Int {
        let report = DeliveryReport.parse(raw)
        for recipient in report.recipients where recipient.outcome == .hard {
            try await BouncedAddressRepository.record(recipient.address, status: recipient.status.isEmpty ? "5.0.0" : recipient.status,
                                              reason: recipient.diagnostic ?? reason, at: now, on: sql)
        }
        let ids = ourMessageIDs(in: raw, domain: domain)
        // A delay or a success notice is news, not a failure.
        guard !ids.isEmpty, report.recipients.isEmpty || report.recipients.contains(where: { $0.outcome != .none }) else { return 0 }
        let soft = !report.recipients.isEmpty && report.recipients.allSatisfy { $0.outcome != .hard }
            && report.recipients.contains { $0.outcome == .soft }
        if soft {
            var retried = 0
            for row in try await sql.select().columns("id", "attempts").from("outbound_messages").where("message_id", .in, Array(ids)).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                guard case let .retry(at) = softBounceRetries.next(afterAttempt: try row.decode(column: "attempts", as: Int.self), failedAt: now)
                else { continue }
                try await sql.update("outbound_messages").set("status", to: "queued").set("last_error", to: String(reason.prefix(500)))
                    .where("id", .equal, id).run()
                _ = try await JobQueue.requeue(dedupeKey: jobKey(id), at: at, on: sql)
                retried += 1
            }
            if retried > 0 { return retried }
        }
        let rows = try await sql.update("outbound_messages").set("status", to: "bounced").set("bounce_reason", to: String(reason.prefix(500)))
            .where("message_id", .in, Array(ids)).returning("id").all()
        return rows.count
    }

    /// The Message-IDs of ours a report quotes.
    private static func ourMessageIDs(in raw: Data, domain: String) -> Set<String> {
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
        return ids
    }
}

/// The payload of an `email.send` job.
struct OutboundPayload: Codable, Sendable {
    let outboundID: UUID

    enum CodingKeys: String, CodingKey { case outboundID = "outbound_id" }
}
