import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// People and their roles: agents, administrators, account managers and customer contacts.
struct PeopleAdminPage: AdminPage {
    let name = "users"
    let title = "People and roles"
    let intro = "Agents, administrators, account managers and customer contacts. Open a name to change the person's details."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let sql = req.store.sql
        let organisations = try await AdminSection.organisationOptions(on: sql)
        let languages = AdminSection.languageOptions
        page.columns = ["Name", "Email", "Role", "Language", "Active", "", ""]
        page.rows = try await UserRepository.summaries(limit: 500, on: sql).map {
            let id = $0.id.uuidString.lowercased(), active = $0.active, role = $0.role
            let otherRole = role == "agent" ? "admin" : (role == "admin" ? "agent" : nil)
            return [.init(text: $0.name, href: "/customers/people/\(id)"), .init(text: $0.email),
                    .init(text: role), .init(text: $0.language), .init(text: active ? "yes" : "no"),
                    .init(text: active ? "Deactivate" : "Reactivate", action: "/admin/users/\(id)/active"),
                    otherRole.map { .init(text: "Make \($0)", action: "/admin/users/\(id)/role?to=\($0)") } ?? .init(text: "")]
        }
        page.forms = [.init(id: "add-user", title: "Add a person", action: "/admin/users", fields: [
            .init("name", "Name", required: true), .init("email", "Email", type: "email", required: true),
            .init("role", "Role", type: "select", required: true, options: PeopleAreas.roles.map { .init(value: $0, label: $0.replacingOccurrences(of: "_", with: " ")) },
                  value: "agent"),
            .init("organisation_id", "Organisation (customers)", type: "select", options: [.init(value: "", label: "—")] + organisations),
            .init("language", "Language", type: "select", options: languages),
            .init("password", "Password (at least 12 characters; leave empty for email-only contacts)", type: "password"),
        ], submit: "Add person")]
    }
}
