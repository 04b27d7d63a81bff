import CasebookCore
import CasebookMail
import Foundation
import SQLKit

extension Outbox {
    /// Queues one mail from the desk's own address (nothing when mail is off). About a case when `reference` is
    /// given: its Reply-To and header then carry the case tag, so answers thread back onto it.
    static func enqueueFromDesk(to recipient: MailAddress, subject: String, text: String, html: String? = nil, reference: String? = nil,
                                kind: OutboundKind, caseID: UUID?, isAutomatic: Bool, settings: CasebookConfiguration.OutboundSettings,
                                on sql: any SQLDatabase, now: Date) async throws {
        guard settings.transport != .none else { return }
        // About a case that came in on one of the team's addresses: from that address.
        var desk = MailAddress(name: settings.fromName, address: settings.fromAddress)
        if let caseID, let address = try await MailAddressRepository.forCase(caseID, on: sql) { desk = address.sender }
        let mail = OutgoingMail(from: desk, to: [recipient],
                                replyTo: reference.map { MailAddress(name: desk.name, address: CaseAddress.tagged(desk.address, reference: $0)) },
                                subject: subject, messageID: messageID(domain: settings.messageIDDomain), isAutomatic: isAutomatic,
                                text: text, html: html, date: now, extraHeaders: reference.map { [("X-Casebook-Case", $0)] } ?? [])
        _ = try await enqueue(mail, kind: kind, caseID: caseID, on: sql, now: now)
    }
}
