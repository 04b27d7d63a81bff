import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Decides which mail a case event sends, writes it in the requester's language and queues it in the outbox.
struct CaseNotifier {
    let services: CasebookServices

    private var settings: CasebookConfiguration.OutboundSettings { services.configuration.outbound }

    /// Who a case's mail comes from: the team's address it came in on, else the desk's own.
    private func sender(of caseID: UUID, on sql: any SQLDatabase) async throws -> (from: MailAddress, signature: String?) {
        if let address = try await MailAddressRepository.forCase(caseID, on: sql) { return (address.sender, address.signature) }
        return (MailAddress(name: settings.fromName, address: settings.fromAddress), nil)
    }

    /// Where answers about this case go: its address tagged with the reference.
    private func replyTo(_ reference: String, from sender: MailAddress) -> MailAddress {
        MailAddress(name: sender.name, address: CaseAddress.tagged(sender.address, reference: reference))
    }

    /// Who a new case's acknowledgement goes to and in whose words, read before the case is written.
    struct Acknowledgement: Sendable {
        fileprivate let name: String
        fileprivate let email: String
        fileprivate let language: String
        fileprivate let wording: MailTemplateTextRepository.Saved?
        /// The address it comes from: the one the case came in on, else the desk's.
        fileprivate let from: MailAddress
    }

    /// Decides whether a new case for `requesterID` is acknowledged: customers only, and not an address that opens
    /// cases faster than a person can (a loop or an attack), which stops being answered for the hour. Everything it
    /// reads is read here, before the case is written; only the text, which names the new reference, is made in the write.
    func planAcknowledgement(to requesterID: UUID, cameIn address: MailAddressRecord?, on sql: any SQLDatabase, now: Date) async throws
        -> Acknowledgement? {
        guard settings.transport != .none, let requester = try await person(requesterID, on: sql), requester.role == Role.customer.rawValue
        else { return nil }
        let recent = try await CaseMailRepository.acknowledgementsSent(to: requester.email, since: now.addingTimeInterval(-3600), on: sql)
        guard recent < settings.acknowledgementsPerHour else { return nil }
        let wording = try await MailTemplateTextRepository.find("acknowledgement", language: MailTemplates.language(requester.language), on: sql)
        return Acknowledgement(name: requester.name, email: requester.email, language: requester.language, wording: wording,
                               from: address?.sender ?? MailAddress(name: settings.fromName, address: settings.fromAddress))
    }

    /// Tells the requester their case is open and what its reference is (automatic mail), threaded under the email
    /// that opened it, if one did.
    func acknowledge(_ record: CaseRecord, as plan: Acknowledgement, firstMessageID: String?, on sql: any SQLDatabase, now: Date) async throws {
        let support = plan.from
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        let words = MailTemplateTexts.render(
            plan.wording, values: ["case.reference": reference, "case.subject": record.subject, "customer.name": plan.name],
            builtIn: MailTemplates.acknowledgement(reference: reference, subject: record.subject, name: plan.name, language: plan.language))
        // A new case has no earlier mail than the one that opened it.
        let thread = firstMessageID.map { [$0] } ?? []
        let mail = OutgoingMail(from: support, to: [MailAddress(name: plan.name, address: plan.email)], replyTo: replyTo(reference, from: support),
                                subject: words.subject, messageID: Outbox.messageID(domain: settings.messageIDDomain),
                                inReplyTo: thread.last, references: thread, isAutomatic: true, text: words.text, html: words.html,
                                date: now, extraHeaders: [("X-Casebook-Case", reference)])
        try await Outbox.enqueue(mail, kind: .acknowledgement, caseID: record.id, on: sql, now: now)
    }

    /// Sends an agent's public reply to the requester, threaded under the conversation so far.
    func reply(_ record: CaseRecord, messageID: UUID, text: String, authorID: UUID, on sql: any SQLDatabase, now: Date) async throws {
        guard settings.transport != .none, let requester = try await person(record.requesterID, on: sql),
              requester.role == Role.customer.rawValue, let author = try await person(authorID, on: sql) else { return }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        let support = try await sender(of: record.id, on: sql)
        let words = MailTemplates.reply(reference: reference, subject: record.subject, body: text, agent: author.name, signature: support.signature,
                                        language: requester.language)
        let thread = try await threadIDs(record.id, on: sql)
        let ours = Outbox.messageID(domain: settings.messageIDDomain)
        var mail = OutgoingMail(from: MailAddress(name: "\(author.name) (\(support.from.name ?? settings.fromName))", address: support.from.address),
                                to: [MailAddress(name: requester.name, address: requester.email)], replyTo: replyTo(reference, from: support.from),
                                subject: words.subject, messageID: ours, inReplyTo: thread.last, references: thread, isAutomatic: false,
                                text: words.text, html: words.html, date: now, extraHeaders: [("X-Casebook-Case", reference)])
        mail.cc = try await CaseCopyRepository.copies(of: record.id, on: sql).map { MailAddress(name: $0.name, address: $0.address) }
        try await Outbox.enqueue(mail, kind: .reply, caseID: record.id, on: sql, now: now)
        // The customer's answer will quote our Message-ID; recording it on the message threads that answer here.
        try await CaseMailRepository.setEmailMessageID(ours, of: messageID, on: sql)
    }

    /// A named customer template to the requester (a rule's `send_template`, automatic mail).
    func sendTemplate(_ template: String, record: CaseRecord, on sql: any SQLDatabase, now: Date) async throws {
        guard settings.transport != .none, let requester = try await person(record.requesterID, on: sql) else { return }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        guard let builtIn = MailTemplates.customer(template, reference: reference, subject: record.subject, name: requester.name,
                                                   language: requester.language) else {
            throw DomainError.invalid("send_template", "names no template '\(template)'")
        }
        let words = try await MailTemplateTexts.render(
            template, language: requester.language,
            values: ["case.reference": reference, "case.subject": record.subject, "customer.name": requester.name], builtIn: builtIn, on: sql)
        let thread = try await threadIDs(record.id, on: sql)
        let support = try await sender(of: record.id, on: sql).from
        let mail = OutgoingMail(from: support, to: [MailAddress(name: requester.name, address: requester.email)], replyTo: replyTo(reference, from: support),
                                subject: words.subject, messageID: Outbox.messageID(domain: settings.messageIDDomain),
                                inReplyTo: thread.last, references: thread, isAutomatic: true, text: words.text, html: words.html,
                                date: now, extraHeaders: [("X-Casebook-Case", reference)])
        try await Outbox.enqueue(mail, kind: .template, caseID: record.id, on: sql, now: now)
    }

    /// A rule's notice to a member of staff (automatic mail).
    func notifyStaff(_ address: String, record: CaseRecord, reason: String, on sql: any SQLDatabase, now: Date) async throws {
        guard settings.transport != .none, address.contains("@") else { return }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        let words = MailTemplates.staffNotice(reference: reference, subject: record.subject, reason: reason)
        let mail = OutgoingMail(from: MailAddress(name: settings.fromName, address: settings.fromAddress), to: [MailAddress(name: nil, address: address)], subject: words.subject,
                                messageID: Outbox.messageID(domain: settings.messageIDDomain), isAutomatic: true,
                                text: words.text, html: words.html, date: now, extraHeaders: [("X-Casebook-Case", reference)])
        try await Outbox.enqueue(mail, kind: .notification, caseID: record.id, on: sql, now: now)
    }

    /// Message-IDs already in the case's conversation, the last twenty: enough for any reader to thread by.
    private func threadIDs(_ caseID: UUID, on sql: any SQLDatabase) async throws -> [String] {
        try await CaseMailRepository.threadIDs(caseID, limit: 20, on: sql)
    }

    private func person(_ id: UUID, on sql: any SQLDatabase) async throws -> CaseMailRepository.Person? {
        try await CaseMailRepository.person(id, on: sql)
    }
}
