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

    /// Stores `raw`; `mailAccount` names the mailbox it was fetched from, if any.
    func accept(_ raw: Data, mailAccount: UUID? = nil) async throws -> Accepted {
        let pending = try await prepare(raw)
        return try await services.store.write { db in try await insert(pending, mailAccount: mailAccount, on: services.store.sql(db)) }
    }

    /// Stores several messages in one transaction (one commit for all, as a mailbox's batch arrives); a message refused
    /// on its own (empty, too large) is answered with its error and does not stop the others.
    func acceptMany(_ raws: [Data], mailAccount: UUID?) async throws -> [Result<Accepted, DomainError>] {
        var prepared: [Result<Pending, DomainError>] = []
        for raw in raws {
            do {
                prepared.append(.success(try await prepare(raw)))
            } catch let error as DomainError {
                prepared.append(.failure(error))
            }
        }
        let ready = prepared
        return try await services.store.write { db in
            var answers: [Result<Accepted, DomainError>] = []
            for item in ready {
                switch item {
                case .success(let pending): answers.append(.success(try await insert(pending, mailAccount: mailAccount, on: services.store.sql(db))))
                case .failure(let error): answers.append(.failure(error))
                }
            }
            return answers
        }
    }

    /// A message checked and, when large, already in the content store (fsync'd): ready for its row.
    private struct Pending: Sendable {
        let raw: Data
        let inline: Bool
        let digest: String
        let headers: MailMessage
    }

    private func prepare(_ raw: Data) async throws -> Pending {
        guard !raw.isEmpty else { throw DomainError.invalid("message", "is empty") }
        guard raw.count <= Self.maxBytes else {
            throw DomainError.tooLarge("The message is \(raw.count) bytes; the limit is \(Self.maxBytes).")
        }
        // Small messages travel in their row: the commit that records them also makes them durable, and
        // concurrent deliveries share that commit. Large ones go to the content store first, fsync'd.
        let inline = raw.count <= Self.inlineLimit
        let digest: String
        if inline {
            digest = BlobDigest.of(raw)
        } else {
            digest = try await services.blobs.put(raw)
        }
        return Pending(raw: raw, inline: inline, digest: digest, headers: MailParser.parse(Data(raw.prefix(256 * 1024))))
    }

    private func insert(_ pending: Pending, mailAccount: UUID?, on sql: any SQLDatabase) async throws -> Accepted {
        if let known = try await InboundRepository.id(ofDigest: pending.digest, on: sql) {
            return Accepted(id: known, duplicate: true, jobID: nil)
        }
        let now = services.clock()
        let id = RecordID.make()
        try await InboundRepository.insert(id: id, digest: pending.digest, headers: pending.headers, size: pending.raw.count,
                                           raw: pending.inline ? pending.raw : nil, mailAccount: mailAccount, at: now, on: sql)
        let job = try await JobQueue.enqueue(.processEmail, InboundPayload(inboundID: id), dedupeKey: Self.jobKey(id), runAt: now, on: sql)
        return Accepted(id: id, duplicate: false, jobID: job)
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
        let stored = try await InboundRepository.outcome(of: id, on: services.store.sql)
        return Outcome(id: id, duplicate: duplicate, status: stored.status,
                       caseReference: stored.caseNumber.map { Reference(prefix: services.configuration.referencePrefix, number: $0).description },
                       error: stored.error)
    }

    /// Applies a stored message; on failure the row is marked failed with the reason, and rethrows.
    func process(_ id: UUID, releasing: Bool = false) async throws -> String? {
        do {
            // Reading and parsing need no lock: done before the write, messages parse side by side on both cores and
            // the single writer only writes (parsing inside it held applied mail to about 130 messages/s).
            let store = services.store
            guard let raw = try await store.reading({ db in try await storedBytes(of: id, releasing: releasing, on: store.sql(db)) }) else { return nil }
            let mail = MailParser.parse(raw)
            let kept = try await keptAttachments(of: mail)
            // The words are read here too, for the same reason: the tone the case or reply will carry, and the language a
            // new contact is written to in.
            var language: WrittenLanguage?
            if AutomaticMail.classify(mail) == nil {
                ToneReadings.shared.prime(Self.filedText(of: mail))
                language = WrittenLanguage.detectIfClear(mail.text)
            }
            return try await store.write { [language] db in
                try await apply(id, raw: raw, mail: mail, releasing: releasing, on: db, kept: kept, language: language)
            }
        } catch {
            let reason = Problem.reason(error)
            let now = services.clock()
            _ = try? await services.store.write { db in try await InboundRepository.markFailed(id, reason: reason, at: now, on: services.store.sql(db)) }
            throw error
        }
    }

    func finish(_ id: UUID, status: InboundStatus, caseNumber: Int?, on sql: any SQLDatabase) async throws {
        var caseID: UUID?
        if let caseNumber { caseID = try await CaseRepository.find(number: caseNumber, on: sql)?.id }
        try await InboundRepository.finish(id, status: status, caseID: caseID, at: services.clock(), on: sql)
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
