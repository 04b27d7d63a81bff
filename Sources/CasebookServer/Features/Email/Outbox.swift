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
        let recipients = suppressed ? bounced.sorted() : (mail.to + mail.cc).map(\.address)
        try await OutboxRepository.insert(.init(id: id, caseID: caseID, kind: kind, sender: mail.from.address, recipients: recipients,
                                                subject: mail.subject, messageID: mail.messageID, raw: String(decoding: raw, as: UTF8.self),
                                                status: suppressed ? "suppressed" : "queued",
                                                note: suppressed ? "not sent: the address bounced for good; clear it under Customers → Bounced addresses once fixed" : nil),
                                          at: now, on: sql)
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
        guard let envelope = try await OutboxRepository.envelope(id, on: services.store.sql), envelope.status == "queued" else { return }
        do {
            try await transport.send(Data(envelope.raw.utf8), id: id, from: envelope.sender, to: envelope.recipients)
        } catch {
            let permanent = (error as? SMTPClientError)?.isPermanent == true || attempt >= maxAttempts
            let reason = String(describing: error)
            try await services.store.write { db in
                try await OutboxRepository.recordFailure(id, attempt: attempt, reason: reason, permanent: permanent, on: services.store.sql(db))
            }
            // A refusal the relay calls permanent will not change by retrying: stop here, visible as failed.
            if permanent { return }
            throw error
        }
        let now = services.clock()
        try await services.store.write { db in try await OutboxRepository.markSent(id, attempt: attempt, at: now, on: services.store.sql(db)) }
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
            for row in try await OutboxRepository.attempts(messageIDs: ids, on: sql) {
                guard case let .retry(at) = softBounceRetries.next(afterAttempt: row.attempts, failedAt: now) else { continue }
                try await OutboxRepository.requeue(row.id, reason: reason, resettingAttempts: false, on: sql)
                _ = try await JobQueue.requeue(dedupeKey: jobKey(row.id), at: at, on: sql)
                retried += 1
            }
            if retried > 0 { return retried }
        }
        return try await OutboxRepository.markBounced(messageIDs: ids, reason: reason, on: sql)
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
