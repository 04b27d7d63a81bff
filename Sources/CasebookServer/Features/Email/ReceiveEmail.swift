import CasebookCore
import CasebookMail
import Fluent
import Foundation
import SQLKit

/// Takes in one raw email: stores it durably, then turns it into a new case or a reply.
///
/// `accept` is all that must succeed before the sender is told "received" (HTTP 202, SMTP 250,
/// exit 0): the bytes are on disk (fsync'd), a row records them and a job to apply them is queued
/// in the same transaction. `process` runs from that job; it may fail and be retried;
/// the row keeps its error for admins. The same bytes delivered twice are one row, and a message
/// whose Message-ID was already applied (for example copied to two of our addresses) is applied once.
struct ReceiveEmail {
    let services: CasebookServices

    struct Accepted: Sendable {
        let id: UUID
        let duplicate: Bool
        /// The queued job that will apply the message (nil for a duplicate delivery).
        let jobID: UUID?
    }

    /// The queue key of the job that applies inbound message `id`: one job per message, ever.
    static func jobKey(_ id: UUID) -> String { "email:\(id.uuidString.lowercased())" }

    static let maxBytes = 40 * 1024 * 1024
    /// More mails than this from one sender within `rateWindow` seconds are held as a loop.
    static let rateLimit = 30
    static let rateWindow: TimeInterval = 600
    /// More `Received:` lines than this and a message is going round in circles (RFC 5321 §6.3 suggests 100; real paths are under 20).
    static let maxHops = 30
    /// Messages up to this size are kept in their database row rather than as a file.
    static let inlineLimit = 1024 * 1024

    func accept(_ raw: Data) async throws -> Accepted {
        guard !raw.isEmpty else { throw DomainError.invalid("message", "is empty") }
        guard raw.count <= Self.maxBytes else {
            throw DomainError.tooLarge("The message is \(raw.count) bytes; the limit is \(Self.maxBytes).")
        }
        // Small messages travel in their row: the commit that records them also makes them durable, and
        // concurrent deliveries share that commit. Large ones go to the content store first, fsync'd.
        let inline = raw.count <= Self.inlineLimit
        let digest: String
        if inline {
            digest = AttachmentStore.digest(of: raw)
        } else {
            let attachments = services.attachments
            digest = try await services.blockingIO.runIfActive { try attachments.putDurably(raw) }
        }
        let headers = MailParser.parse(Data(raw.prefix(256 * 1024)))
        let now = services.clock()
        return try await services.store.write { db in
            let sql = services.store.sql(db)
            if let row = try await sql.select().column("id").from("inbound_messages").where("sha256", .equal, digest).first() {
                return Accepted(id: try row.decode(column: "id", as: UUID.self), duplicate: true, jobID: nil)
            }
            let id = RecordID.make()
            try await sql.insert(into: "inbound_messages")
                .columns("id", "sha256", "message_id", "sender", "subject", "size", "status", "received_at", "raw")
                .values(SQLBind(id), SQLBind(digest), SQLBind(headers.messageID), SQLBind(headers.author?.address),
                        SQLBind(String(headers.subject.prefix(250))), SQLBind(raw.count), SQLBind("received"), SQLBind(now),
                        SQLBind(inline ? raw : nil))
                .run()
            let job = try await JobQueue.enqueue(.processEmail, InboundPayload(inboundID: id), dedupeKey: Self.jobKey(id), runAt: now, on: sql)
            return Accepted(id: id, duplicate: false, jobID: job)
        }
    }

    /// What became of a delivery, read back from the stored row.
    struct Outcome: Sendable {
        let id: UUID
        let duplicate: Bool
        let status: String
        let caseReference: String?
        let error: String?
    }

    /// Stores a message, then applies it at once through its queued job (a failure stays queued for retry).
    func deliverNow(_ raw: Data, runner: JobRunner) async throws -> Outcome {
        let accepted = try await accept(raw)
        if let job = accepted.jobID { _ = await runner.runNow(job) }
        return try await outcome(of: accepted.id, duplicate: accepted.duplicate)
    }

    /// The stored state of inbound message `id`.
    func outcome(of id: UUID, duplicate: Bool) async throws -> Outcome {
        guard let row = try await services.store.sql.raw("""
            SELECT inbound_messages.status AS status, inbound_messages.error AS error, cases.number AS number
            FROM inbound_messages LEFT JOIN cases ON cases.id = inbound_messages.case_id WHERE inbound_messages.id = \(bind: id)
            """).first() else { throw DomainError.notFound("The inbound message") }
        let number = try row.decode(column: "number", as: Int?.self)
        return Outcome(id: id, duplicate: duplicate, status: try row.decode(column: "status", as: String.self),
                       caseReference: number.map { Reference(prefix: services.configuration.referencePrefix, number: $0).description },
                       error: try row.decode(column: "error", as: String?.self))
    }

    /// Applies a stored message; on failure the row is marked failed with the reason, and rethrows.
    func process(_ id: UUID, releasing: Bool = false) async throws -> String? {
        do {
            return try await services.store.write { db in try await apply(id, releasing: releasing, on: db) }
        } catch {
            let reason = Problem.reason(error).prefix(500)
            let now = services.clock()
            _ = try? await services.store.write { db in
                try await services.store.sql(db).update("inbound_messages").set("status", to: "failed").set("error", to: String(reason))
                    .set("processed_at", to: now).where("id", .equal, id).run()
            }
            throw error
        }
    }

    private func apply(_ id: UUID, releasing: Bool, on db: any Database) async throws -> String? {
        let sql = services.store.sql(db)
        guard let row = try await sql.select().columns("sha256", "status", "raw").from("inbound_messages").where("id", .equal, id).first() else {
            throw DomainError.notFound("The inbound message")
        }
        let status = try row.decode(column: "status", as: String.self)
        if status == "processed" || (status == "held" && !releasing) { return nil }
        guard let raw = try row.decode(column: "raw", as: Data?.self) ?? services.attachments.get(try row.decode(column: "sha256", as: String.self)) else {
            throw DomainError.conflict("The stored bytes of this message are missing.")
        }
        let mail = MailParser.parse(raw)
        let prefix = services.configuration.referencePrefix
        guard let author = mail.author else { throw DomainError.invalid("from", "names no sender address") }
        let sender = author.address
        // A sender writing faster than a person can is a mail loop: keep the mail, apply none of it.
        let since = services.clock().addingTimeInterval(-Self.rateWindow)
        if let recent = try await sql.raw("""
            SELECT COUNT(*) AS n FROM inbound_messages WHERE sender = \(bind: sender) AND received_at >= \(bind: since)
            """).first(), try recent.decode(column: "n", as: Int.self) > Self.rateLimit {
            try await finish(id, status: "rate_limited", caseNumber: nil, on: sql)
            return nil
        }
        // Our own mail coming back (X-Loop names us), or mail that has passed through too many servers, is a loop.
        let ours = services.configuration.outbound.fromAddress
        if mail.headerValues("X-Loop").contains(where: { $0.lowercased().contains(ours) }) || mail.headerValues("Received").count > Self.maxHops {
            try await finish(id, status: "loop", caseNumber: nil, on: sql)
            return nil
        }
        let automatic = AutomaticMail.classify(mail)

        var caseNumber: Int?
        if let messageID = mail.messageID,
           try await sql.select().column("id").from("messages").where("email_message_id", .equal, messageID).first() != nil {
            try await finish(id, status: "duplicate", caseNumber: nil, on: sql)
            return nil
        }
        let threadIDs = mail.inReplyTo + mail.references.reversed()
        if !threadIDs.isEmpty,
           let hit = try await sql.raw("""
               SELECT cases.number AS number FROM messages JOIN cases ON cases.id = messages.case_id
               WHERE messages.email_message_id IN (\(binds: threadIDs))
               UNION ALL SELECT cases.number AS number FROM outbound_messages JOIN cases ON cases.id = outbound_messages.case_id
               WHERE outbound_messages.message_id IN (\(binds: threadIDs))
               LIMIT 1
               """).first() {
            caseNumber = try hit.decode(column: "number", as: Int.self)
        }
        if caseNumber == nil, let tag = Self.referenceTag(in: mail.subject, prefix: prefix)
            ?? (mail.to + mail.cc).lazy.compactMap({ CaseAddress.reference(in: $0.address, prefix: prefix) }).first {
            caseNumber = try await CaseRows.find(number: tag, on: sql)?.number
        }
        if automatic == .bounce {
            // A delivery report about mail we sent: the outbox row says so, for whoever wonders why the customer is silent.
            let report = String(decoding: raw.prefix(512 * 1024), as: UTF8.self)
            let reason = report.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("diagnostic-code:") }
                ?? report.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("status:") }
            _ = try await Outbox.recordBounce(raw: raw, domain: services.configuration.outbound.messageIDDomain,
                                              reason: reason.map(String.init) ?? mail.subject, on: sql)
        }
        if let automatic {
            // Automatic mail never opens a case and never reopens one; on a known case it is kept
            // as an internal note so the owner sees the out-of-office or the bounce.
            guard let number = caseNumber else {
                try await finish(id, status: "ignored_\(automatic.rawValue)", caseNumber: nil, on: sql)
                return nil
            }
            let note = "Automatic mail (\(automatic.rawValue.replacingOccurrences(of: "_", with: " "))) from \(sender): \(mail.subject)\n\n\(mail.text.prefix(4000))"
            var input = MessageCreateRequest(text: note)
            input.visibility = .internal
            let reference = Reference(prefix: prefix, number: number).description
            let system = try await ContactForSender.systemActor(on: db)
            _ = try await AddMessage(services: services).run(reference: reference, input: input, by: system, on: db)
            try await finish(id, status: "processed", caseNumber: number, on: sql)
            return reference
        }
        if caseNumber == nil, !releasing, services.configuration.unknownSenders == .hold,
           try await !ContactForSender.isKnown(sender, on: sql) {
            try await finish(id, status: "held", caseNumber: nil, on: sql)
            return nil
        }
        let contact = try await ContactForSender(services: services).find(sender, name: author.name, on: db)
        let text = mail.text.isEmpty ? "(no text)" : String(mail.text.prefix(100_000))
        let files = mail.attachments.prefix(20).map { attachment in
            AttachmentUpload(filename: attachment.filename, contentType: attachment.contentType, data: attachment.data.base64EncodedString())
        }
        // The Message-ID goes in with the message row, so the acknowledgement and later replies thread under it.
        let reference: String
        if let number = caseNumber {
            reference = Reference(prefix: prefix, number: number).description
            var input = MessageCreateRequest(text: text)
            input.html = mail.html
            input.attachments = files.isEmpty ? nil : Array(files)
            input.emailMessageID = mail.messageID
            _ = try await AddMessage(services: services).run(reference: reference, input: input, by: contact, on: db)
        } else {
            var input = CaseCreateRequest(subject: mail.subject.isEmpty ? "(no subject)" : String(mail.subject.prefix(250)), description: text)
            input.descriptionHTML = mail.html
            input.attachments = files.isEmpty ? nil : Array(files)
            input.emailMessageID = mail.messageID
            let record = try await OpenCase(services: services).run(input, by: contact, on: db)
            reference = Reference(prefix: prefix, number: record.number).description
            caseNumber = record.number
        }
        try await finish(id, status: "processed", caseNumber: caseNumber, on: sql)
        return reference
    }

    private func finish(_ id: UUID, status: String, caseNumber: Int?, on sql: any SQLDatabase) async throws {
        var caseID: UUID?
        if let caseNumber { caseID = try await CaseRows.find(number: caseNumber, on: sql)?.id }
        try await sql.update("inbound_messages").set("status", to: status).set("error", to: SQLLiteral.null)
            .set("case_id", to: caseID).set("processed_at", to: services.clock()).where("id", .equal, id).run()
    }

    /// The case number in a subject tag such as `[CB-10423]`.
    static func referenceTag(in subject: String, prefix: String) -> Int? {
        var rest = Substring(subject)
        while let open = rest.firstIndex(of: "[") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "]") else { return nil }
            if let reference = Reference(parsing: String(after[..<close]), defaultPrefix: prefix), reference.prefix == prefix,
               after[..<close].contains("-") {
                return reference.number
            }
            rest = after[after.index(after: close)...]
        }
        return nil
    }
}
