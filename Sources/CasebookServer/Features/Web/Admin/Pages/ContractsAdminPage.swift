import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Contracts: what each organisation bought, at which level, under which service-level policy.
struct ContractsAdminPage: AdminPage {
    let name = "contracts"
    let title = "Contracts"
    let intro = "What each organisation bought, with its service level and dates."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let sql = req.store.sql
        let organisations = try await AdminSection.organisationOptions(on: sql)
        page.columns = ["Organisation", "Contract", "Level", "From", "Until"]
        page.rows = try await sql.raw("""
            SELECT o.name AS organisation, c.name AS name, c.level AS level, c.starts_on AS starts_on, c.ends_on AS ends_on
            FROM contracts c JOIN organisations o ON o.id = c.organisation_id ORDER BY o.name, c.starts_on
            """).all().map {
            [.init(text: try $0.decode(column: "organisation", as: String.self)), .init(text: try $0.decode(column: "name", as: String.self)),
             .init(text: try $0.decode(column: "level", as: String.self)), .init(text: try $0.decode(column: "starts_on", as: String.self)),
             .init(text: try $0.decode(column: "ends_on", as: String?.self) ?? "open-ended")]
        }
        let policies = try await sql.select().columns("id", "name").from("sla_policies").orderBy("name").all()
            .map { AdminSection.Option(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self)) }
        page.forms = [.init(id: "add-contract", title: "Add a contract", action: "/admin/contracts", fields: [
            .init("organisation_id", "Organisation", type: "select", required: true, options: organisations),
            .init("name", "Name", required: true),
            .init("level", "Level", type: "select", required: true, options: ["basic", "standard", "premium"].map { .init(value: $0, label: $0) }),
            .init("starts_on", "Starts on", type: "date", required: true), .init("ends_on", "Ends on", type: "date"),
            .init("sla_policy_id", "Service-level policy", type: "select", options: [.init(value: "", label: "—")] + policies),
        ], submit: "Add contract")]
    }
}
