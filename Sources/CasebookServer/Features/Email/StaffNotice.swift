import CasebookMail
import Foundation
import SQLKit

/// Plain automatic mail to a member of staff about something other than a case (overdue maintenance, low stock, alerts).
struct StaffNotice {
    let services: CasebookServices

    func send(to address: String, subject: String, text: String, on sql: any SQLDatabase, now: Date) async throws {
        guard address.contains("@") else { return }
        try await Outbox.enqueueFromDesk(to: MailAddress(name: nil, address: address), subject: subject, text: text, kind: .notification,
                                         caseID: nil, isAutomatic: true, settings: services.configuration.outbound, on: sql, now: now)
    }
}
