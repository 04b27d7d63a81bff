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
        let outbound = req.casebook.configuration.outbound
        let smtp = req.casebook.configuration.smtp
        page.columns = ["Setting", "Value"]
        page.rows = [
            ("Outbound transport", outbound.transport.rawValue), ("From", "\(outbound.fromName) <\(outbound.fromAddress)>"),
            ("Relay", outbound.transport == .smtp ? "\(outbound.relayHost):\(outbound.relayPort)" : "—"),
            ("Relay user", outbound.relayUsername ?? "—"), ("Verify relay certificates", outbound.verifyCertificates ? "yes" : "no"),
            ("Acknowledgements per requester per hour", String(outbound.acknowledgementsPerHour)),
            ("Inbound SMTP listener", smtp.map { "\($0.host):\($0.port) as \($0.hostname)" } ?? "off"),
        ].map { [.init(text: $0.0), .init(text: $0.1)] }
        page.intro += " They are read from the environment at start (CASEBOOK_MAIL_*, CASEBOOK_SMTP_*; see the README), so every instance agrees."
        page.forms = [.init(id: "test-mail", title: "Send a test message", action: "/admin/email/test", fields: [
            .init("to", "To", type: "email", required: true),
        ], submit: "Send test")]
    }
}
