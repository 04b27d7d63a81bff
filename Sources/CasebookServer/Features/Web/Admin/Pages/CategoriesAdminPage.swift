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
        let rows = try await CatalogRepository.categorySummaries(on: sql)
        page.rows = rows.map {
            [.init(text: $0.name), .init(text: $0.description),
             .init(text: $0.flowVersion.map { "version \($0) — edit" } ?? "none — create", href: "/admin/categories/\($0.id.uuidString.lowercased())/intake"),
             .init(text: $0.retiredAt == nil ? "offered" : "retired")]
        }
        page.forms = [.init(id: "add-category", title: "Add a category", action: "/admin/categories", fields: [
            .init("name", "Name", required: true), .init("description", "Description", type: "textarea"),
        ], submit: "Add category"), .init(id: "change-category", title: "Rename or retire a category", action: "/admin/categories/change", fields: [
            .init("entry", "Category", type: "select", required: true, options: rows.map { .init(value: $0.id.uuidString.lowercased(), label: $0.name) }),
            .init("name", "New name"), .init("description", "New description", type: "textarea"), AdminController.retirement,
        ], submit: "Change category")]
    }
}
