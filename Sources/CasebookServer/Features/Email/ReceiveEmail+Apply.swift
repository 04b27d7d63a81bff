import CasebookCore
import CasebookMail
import Fluent
import Foundation
import SQLKit

/// Applying one stored message, in the order the decisions are made: is it a loop, a duplicate, which case it belongs
/// to, is it automatic, is the sender held, and then the reply or the new case.
extension ReceiveEmail {
    func apply(_ id: UUID, releasing: Bool, on db: any Database) async throws -> String? {
        guard let raw = try await storedBytes(of: id, releasing: releasing, on: services.store.sql(db)) else { return nil }
        let mail = MailParser.parse(raw)
        return try await apply(id, raw: raw, mail: mail, releasing: releasing, on: db, checked: true, language: WrittenLanguage.detectIfClear(mail.text))
    }

    /// Applies a message read and parsed before the write began; its status is checked again here, inside the
    /// transaction, so a message applied meanwhile (another instance, a retry) is not applied twice.
    /// `kept` are the mail's attachments already in the content store (`keptAttachments`), when the caller kept them;
    /// `language` is the one the mail reads as, for a new contact (`WrittenLanguage.detectIfClear`).
    func apply(_ id: UUID, raw: Data, mail: MailMessage, releasing: Bool, on db: any Database, checked: Bool = false,
               kept: [AttachmentUpload]? = nil, language: WrittenLanguage?) async throws -> String? {
        let sql = services.store.sql(db)
        if !checked {
            guard try await InboundRepository.needsApplying(id, releasing: releasing, on: sql) else { return nil }
        }
        guard let author = mail.author else { throw DomainError.invalid("from", "names no sender address") }
        if let refused = try await loopOrDuplicate(mail, sender: author.address, on: sql) {
            try await finish(id, status: refused, caseNumber: nil, on: sql)
            return nil
        }
        let caseNumber = try await threadedCase(of: mail, sender: author.address, on: sql)
        if let automatic = AutomaticMail.classify(mail) {
            if automatic == .bounce { try await recordBounce(raw, mail: mail, on: sql) }
            return try await keepAutomatic(automatic, mail: mail, sender: author.address, caseNumber: caseNumber, id: id, on: db)
        }
        if caseNumber == nil, !releasing, services.configuration.unknownSenders == .hold, try await !SenderRepository.isKnown(author.address, on: sql) {
            try await finish(id, status: .held, caseNumber: nil, on: sql)
            return nil
        }
        let (reference, number) = try await file(mail, from: author, onto: caseNumber, inbound: id, attachments: kept ?? Self.uploads(of: mail),
                                                 language: language, on: db)
        try await finish(id, status: .processed, caseNumber: number, on: sql)
        return reference
    }

    /// The message's bytes, or nil when it needs no work (already applied, or held and not being released).
    func storedBytes(of id: UUID, releasing: Bool, on sql: any SQLDatabase) async throws -> Data? {
        let stored = try await InboundRepository.stored(id, on: sql)
        if stored.status == InboundStatus.processed.rawValue || (stored.status == InboundStatus.held.rawValue && !releasing) { return nil }
        var raw = stored.raw
        if raw == nil { raw = try await services.blobs.get(stored.sha256) }
        guard let raw else {
            throw DomainError.conflict("The stored bytes of this message are missing.")
        }
        return raw
    }

    /// Why the message is kept but not applied: its sender writes faster than a person can, it is our own mail come back
    /// (X-Loop names us) or has passed too many servers, or it was applied before under the same Message-ID.
    private func loopOrDuplicate(_ mail: MailMessage, sender: String, on sql: any SQLDatabase) async throws -> InboundStatus? {
        let since = services.clock().addingTimeInterval(-Self.rateWindow)
        if try await InboundRepository.count(from: sender, since: since, on: sql) > Self.rateLimit {
            return .rateLimited
        }
        let ours = services.configuration.outbound.fromAddress
        if mail.headerValues("X-Loop").contains(where: { $0.lowercased().contains(ours) }) || mail.headerValues("Received").count > Self.maxHops {
            return .loop
        }
        if let messageID = mail.messageID, try await InboundRepository.isApplied(messageID: messageID, on: sql) {
            return .duplicate
        }
        return nil
    }

    /// The case the message belongs to: by In-Reply-To and References (ours and theirs), else by a `[CB-10423]` subject tag
    /// or a case address (`support+cb-10423@…`) when the sender may write on that case.
    private func threadedCase(of mail: MailMessage, sender: String, on sql: any SQLDatabase) async throws -> Int? {
        guard let number = try await threadedCaseAsWritten(of: mail, sender: sender, on: sql) else { return nil }
        // Mail about a merged case goes on in the case it was merged into.
        guard let record = try await CaseRepository.find(number: number, on: sql), let survivor = try await CaseLinkRepository.survivor(of: record.id, on: sql)
        else { return number }
        return try await CaseRepository.find(id: survivor, on: sql)?.number ?? number
    }

    private func threadedCaseAsWritten(of mail: MailMessage, sender: String, on sql: any SQLDatabase) async throws -> Int? {
        let threadIDs = mail.inReplyTo + mail.references.reversed()
        if let number = try await InboundRepository.caseNumber(threading: threadIDs, on: sql) { return number }
        let prefix = services.configuration.referencePrefix
        guard let tag = Self.referenceTag(in: mail.subject, prefix: prefix)
            ?? (mail.to + mail.cc).lazy.compactMap({ CaseAddress.reference(in: $0.address, prefix: prefix) }).first else { return nil }
        return try await SenderRepository.mayWrite(on: tag, from: sender, on: sql) ? tag : nil
    }

    /// A delivery report about mail we sent: the outbox row says so, for whoever wonders why the customer is silent, and
    /// an address that failed for good gets no more mail.
    private func recordBounce(_ raw: Data, mail: MailMessage, on sql: any SQLDatabase) async throws {
        let report = String(decoding: raw.prefix(512 * 1024), as: UTF8.self)
        let reason = report.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("diagnostic-code:") }
            ?? report.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("status:") }
        _ = try await Outbox.recordBounce(raw: raw, domain: services.configuration.outbound.messageIDDomain,
                                          reason: reason.map(String.init) ?? mail.subject, at: services.clock(), on: sql)
    }

    /// Automatic mail never opens a case and never reopens one; on a known case it is kept as an internal note so the
    /// owner sees the out-of-office or the bounce.
    private func keepAutomatic(_ automatic: AutomaticMail, mail: MailMessage, sender: String, caseNumber: Int?, id: UUID,
                               on db: any Database) async throws -> String? {
        let sql = services.store.sql(db)
        guard let number = caseNumber else {
            let ignored: InboundStatus = switch automatic {
            case .bounce: .ignoredBounce
            case .autoReply: .ignoredAutoReply
            case .bulk: .ignoredBulk
            }
            try await finish(id, status: ignored, caseNumber: nil, on: sql)
            return nil
        }
        let note = "Automatic mail (\(automatic.rawValue.replacingOccurrences(of: "_", with: " "))) from \(sender): \(mail.subject)\n\n\(mail.text.prefix(4000))"
        var input = MessageCreateRequest(text: note)
        input.visibility = .internal
        let reference = Reference(prefix: services.configuration.referencePrefix, number: number).description
        let system = try await ContactForSender.systemActor(on: db)
        _ = try await AddMessage(services: services).run(reference: reference, input: input, by: system, on: db)
        try await finish(id, status: .processed, caseNumber: number, on: sql)
        return reference
    }

    /// A reply onto its case, or a new case for the sender; the Message-ID goes in with the message row, so the
    /// acknowledgement and later replies thread under it.
    /// A mail's attachments as uploads (the first twenty: a case message holds at most that many).
    static func uploads(of mail: MailMessage) -> [AttachmentUpload] {
        mail.attachments.prefix(20).map { AttachmentUpload(filename: $0.filename, contentType: $0.contentType, bytes: $0.data) }
    }

    /// The attachments of mail that will be filed, put in the content store before the write (nil for automatic mail,
    /// which files none).
    func keptAttachments(of mail: MailMessage) async throws -> [AttachmentUpload]? {
        guard AutomaticMail.classify(mail) == nil, !mail.attachments.isEmpty else { return nil }
        return try await AttachmentIntake(services: services).keep(Self.uploads(of: mail))
    }

    /// The words a mail files as its case's description or its reply's text, trimmed as those are, so the tone read
    /// before the write is found again for exactly these words.
    static func filedText(of mail: MailMessage) -> String {
        let text = String(mail.text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100_000)).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no text)" : text
    }

    private func file(_ mail: MailMessage, from author: MailAddress, onto caseNumber: Int?, inbound id: UUID, attachments files: [AttachmentUpload],
                      language: WrittenLanguage?, on db: any Database) async throws -> (String, Int) {
        let prefix = services.configuration.referencePrefix
        // The team's address it came to: a new case is on it (its group, its sender); a new contact gets its language,
        // or else the language they wrote in, so the acknowledgement and replies reach them in it.
        let recipients = (mail.to + mail.cc).map(\.address) + mail.headerValues("Delivered-To") + mail.headerValues("X-Original-To")
        let address = caseNumber != nil ? nil
            : try await MailAddressRepository.forIncoming(inboundID: id, recipients: recipients, on: services.store.sql(db))
        let contact = try await ContactForSender(services: services).find(author.address, name: author.name, language: address?.language ?? language?.rawValue, on: db)
        let text = Self.filedText(of: mail)
        if let number = caseNumber {
            let reference = Reference(prefix: prefix, number: number).description
            var input = MessageCreateRequest(text: text)
            input.html = mail.html
            input.attachments = files.isEmpty ? nil : Array(files)
            input.emailMessageID = mail.messageID
            let sql = services.store.sql(db)
            let copied = try await CaseCopyRepository.isCopied(author.address, on: number, on: sql)
            let message = try await AddMessage(services: services, copiedAuthor: copied).run(reference: reference, input: input, by: contact, on: db)
            // Most replies copy nobody: the case and its requester are read only when the mail has a Cc line.
            if !mail.cc.isEmpty, let record = try await CaseRepository.find(id: message.caseID, on: sql) {
                let requester = try await CaseChoiceRepository.person(id: record.requesterID, on: sql)?.email
                try await CopiesFromMail(services: services).add(from: mail, author: author.address, caseID: record.id, requesterEmail: requester, on: sql, now: services.clock())
            }
            return (reference, number)
        }
        var input = CaseCreateRequest(subject: mail.subject.isEmpty ? "(no subject)" : String(mail.subject.prefix(250)), description: text)
        input.descriptionHTML = mail.html
        input.attachments = files.isEmpty ? nil : Array(files)
        input.emailMessageID = mail.messageID
        let record = try await OpenCase(services: services, mailAddress: address).run(input, by: contact, on: db)
        try await CopiesFromMail(services: services).add(from: mail, author: author.address, caseID: record.id, requesterEmail: author.address,
                                                         on: services.store.sql(db), now: services.clock())
        return (Reference(prefix: prefix, number: record.number).description, record.number)
    }
}
