import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Request categories and the intake flow each one asks.
struct CategoriesAdminPage: AdminPage {
    let name = "categories"
    let title = "Categories and intake flows"
    let intro = "What requests are about, and the questions each one asks up front."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let sql = req.store.sql
        page.columns = ["Category", "Description", "Intake flow", "State"]
        let rows = try await sql.raw("""
            SELECT c.id AS id, c.name AS name, c.description AS description, c.retired_at AS retired_at,
                   (SELECT MAX(version) FROM intake_flows f WHERE f.category_id = c.id) AS version
            FROM categories c ORDER BY c.name
            """).all()
        page.rows = try rows.map {
            let id = try $0.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let version = try $0.decode(column: "version", as: Int?.self)
            return [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: try $0.decode(column: "description", as: String.self)),
                    .init(text: version.map { "version \($0) — edit" } ?? "none — create", href: "/admin/categories/\(id)/intake"),
                    .init(text: try $0.decode(column: "retired_at", as: Date?.self) == nil ? "offered" : "retired")]
        }
        page.forms = [.init(id: "add-category", title: "Add a category", action: "/admin/categories", fields: [
            .init("name", "Name", required: true), .init("description", "Description", type: "textarea"),
        ], submit: "Add category"), .init(id: "change-category", title: "Rename or retire a category", action: "/admin/categories/change", fields: [
            .init("entry", "Category", type: "select", required: true, options: try rows.map {
                .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
            }),
            .init("name", "New name"), .init("description", "New description", type: "textarea"), AdminController.retirement,
        ], submit: "Change category")]
    }
}
