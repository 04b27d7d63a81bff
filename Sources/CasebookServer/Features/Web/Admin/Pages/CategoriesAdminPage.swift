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
        let t = AreaText(req)
        let sql = req.store.sql
        page.columns = [t("Category"), t("Description"), t("Intake flow"), t("State")]
        let rows = try await CatalogRepository.categorySummaries(on: sql)
        page.rows = rows.map {
            [.init(text: $0.name), .init(text: $0.description),
             .init(text: $0.flowVersion.map { t("version {{number}} — edit", ["number": String($0)]) } ?? t("none — create"), href: "/admin/categories/\($0.id.uuidString.lowercased())/intake"),
             .init(text: $0.retiredAt == nil ? t("offered") : t("retired"))]
        }
        page.forms = [.init(id: "add-category", title: t("Add a category"), action: "/admin/categories", fields: [
            .init("name", t("Name"), required: true), .init("description", t("Description"), type: "textarea"),
        ], submit: t("Add category")), .init(id: "change-category", title: t("Rename or retire a category"), action: "/admin/categories/change", fields: [
            .init("entry", t("Category"), type: "select", required: true, options: rows.map { .init(value: $0.id.uuidString.lowercased(), label: $0.name) }),
            .init("name", t("New name")), .init("description", t("New description"), type: "textarea"), AdminController.retirement(t),
        ], submit: t("Change category"))]
    }
}
