import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// How mail comes in and goes out, as configured, with a test message.
struct EmailSettingsAdminPage: AdminPage {
    let name = "email"
    let title = "Email settings"
    let intro = "How mail comes in and goes out."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        let outbound = req.casebook.configuration.outbound
        let smtp = req.casebook.configuration.smtp
        page.columns = [t("Setting"), t("Value")]
        page.rows = [
            (t("Outbound transport"), outbound.transport.rawValue), (t("From"), "\(outbound.fromName) <\(outbound.fromAddress)>"),
            (t("Relay"), outbound.transport == .smtp ? "\(outbound.relayHost):\(outbound.relayPort)" : "—"),
            (t("Relay user"), outbound.relayUsername ?? "—"), (t("Verify relay certificates"), outbound.verifyCertificates ? t("yes") : t("no")),
            (t("Acknowledgements per requester per hour"), String(outbound.acknowledgementsPerHour)),
            (t("Inbound SMTP listener"), smtp.map { t("{{address}} as {{name}}", ["address": "\($0.host):\($0.port)", "name": $0.hostname]) } ?? t("off")),
        ].map { [.init(text: $0.0), .init(text: $0.1)] }
        page.intro += " " + t("They are read from the environment at start (CASEBOOK_MAIL_*, CASEBOOK_SMTP_*; see the README), so every instance agrees.")
        page.forms = [.init(id: "test-mail", title: t("Send a test message"), action: "/admin/email/test", fields: [
            .init("to", t("To"), type: "email", required: true),
        ], submit: t("Send test"))]
    }
}
