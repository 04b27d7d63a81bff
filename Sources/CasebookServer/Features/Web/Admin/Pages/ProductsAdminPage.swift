import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Products and their versions, with renaming and retiring.
struct ProductsAdminPage: AdminPage {
    let name = "products"
    let title = "Products and versions"
    let intro = "What customers run; versions drive intake questions and upgrade warnings."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        page.columns = [t("Product"), t("Versions"), t("State")]
        let products = try await CatalogRepository.productsWithVersions(on: req.db)
        var versionOptions: [AdminSection.Option] = []
        page.rows = products.map { product, versions in
            let id = product.id?.uuidString.lowercased() ?? ""
            let labels = versions.sorted { $0.name < $1.name }.map { version -> String in
                let retired = version.retiredAt != nil
                versionOptions.append(.init(value: "\(id)/\(version.id?.uuidString.lowercased() ?? "")",
                                            label: "\(product.name) \(version.name)" + (retired ? " (" + t(t("retired")) + ")" : "")))
                return retired ? version.name + " (" + t(t("retired")) + ")" : version.name
            }
            return [.init(text: product.name), .init(text: labels.joined(separator: ", ")), .init(text: product.retiredAt == nil ? t("offered") : t("retired"))]
        }
        let productOptions: [AdminSection.Option] = products.map { .init(value: $0.product.id?.uuidString.lowercased() ?? "", label: $0.product.name) }
        page.forms = [
            .init(id: "add-product", title: t("Add a product"), action: "/admin/products", fields: [.init("name", t("Name"), required: true)], submit: t("Add product")),
            .init(id: "add-version", title: t("Add a version"), action: "/admin/versions", fields: [
                .init("product_id", t("Product"), type: "select", required: true, options: productOptions),
                .init("name", t("Version"), required: true), .init("released_on", t("Released on"), type: "date"),
            ], submit: t("Add version")),
            .init(id: "change-product", title: t("Rename or retire a product"), action: "/admin/products/change", fields: [
                .init("entry", t("Product"), type: "select", required: true, options: productOptions),
                .init("name", t("New name"), help: t("Every case shows the new name.")), AdminController.retirement(t),
            ], submit: t("Change product")),
            .init(id: "change-version", title: t("Rename or retire a version"), action: "/admin/versions/change", fields: [
                .init("entry", t("Version"), type: "select", required: true, options: versionOptions),
                .init("name", t("New name")), .init("released_on", t("Released on"), type: "date"), AdminController.retirement(t),
            ], submit: t("Change version")),
        ]
    }
}
