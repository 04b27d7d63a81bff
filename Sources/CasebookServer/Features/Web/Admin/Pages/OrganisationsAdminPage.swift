import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Customer organisations: domains, seats and whether colleagues share cases.
struct OrganisationsAdminPage: AdminPage {
    let name = "organisations"
    let title = "Organisations"
    let intro = "Customers, their domains, seats and whether colleagues see each other's cases."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        let sql = req.store.sql
        page.columns = [t("Name"), t("Domain"), t("Seats"), t("Shares cases")]
        page.rows = try await OrganisationRepository.summaries(limit: 500, on: sql).map {
            [.init(text: $0.name), .init(text: $0.domain ?? ""), .init(text: $0.seats.map(String.init) ?? ""), .init(text: $0.sharesCases ? t("yes") : t("no"))]
        }
        page.forms = [.init(id: "add-organisation", title: t("Add an organisation"), action: "/admin/organisations", fields: [
            .init("name", t("Name"), required: true), .init("domain", t("Email domain"), help: t("Mail from this domain files under the organisation.")),
            .init("seats", t("Seats"), type: "number"), .init("shares_cases", t("Colleagues see each other's cases"), type: "checkbox"),
        ], submit: t("Add organisation"))]
    }
}
