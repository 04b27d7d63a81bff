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
        let t = AreaText(req)
        let sql = req.store.sql
        let organisations = try await AdminSection.organisationOptions(on: sql)
        let languages = AdminSection.languageOptions
        page.columns = [t("Name"), t("Email"), t("Role"), t("Language"), t("Active"), "", ""]
        page.rows = try await UserRepository.summaries(limit: 500, on: sql).map {
            let id = $0.id.uuidString.lowercased(), active = $0.active, role = $0.role
            let otherRole = role == "agent" ? "admin" : (role == "admin" ? "agent" : nil)
            return [.init(text: $0.name, href: "/customers/people/\(id)"), .init(text: $0.email),
                    .init(text: t(role.replacingOccurrences(of: "_", with: " "))), .init(text: $0.language), .init(text: active ? t("yes") : t("no")),
                    .init(text: active ? t("Deactivate") : t("Reactivate"), action: "/admin/users/\(id)/active"),
                    otherRole.map { .init(text: t("Make {{role}}", ["role": t($0)]), action: "/admin/users/\(id)/role?to=\($0)") } ?? .init(text: "")]
        }
        page.forms = [.init(id: "add-user", title: t("Add a person"), action: "/admin/users", fields: [
            .init("name", t("Name"), required: true), .init("email", t("Email"), type: "email", required: true),
            .init("role", t("Role"), type: "select", required: true, options: PeopleAreas.roles.map { .init(value: $0, label: t($0.replacingOccurrences(of: "_", with: " "))) },
                  value: "agent"),
            .init("organisation_id", t("Organisation (customers)"), type: "select", options: [.init(value: "", label: t("—"))] + organisations),
            .init("language", t("Language"), type: "select", options: languages),
            .init("password", t("Password (at least 12 characters; leave empty for email-only contacts)"), type: "password"),
        ], submit: t("Add person"))]
    }
}
