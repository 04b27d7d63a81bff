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
        let sql = req.store.sql
        page.columns = ["Product", "Versions", "State"]
        let products = try await sql.select().columns("id", "name", "retired_at").from("products").orderBy("name").all()
        let versions = try await sql.select().columns("id", "product_id", "name", "retired_at").from("product_versions").orderBy("name").all()
        var versionOptions: [AdminSection.Option] = []
        page.rows = try products.map { product in
            let id = try product.decode(column: "id", as: UUID.self)
            let name = try product.decode(column: "name", as: String.self)
            let own = try versions.filter { try $0.decode(column: "product_id", as: UUID.self) == id }
            let labels = try own.map { version -> String in
                let label = try version.decode(column: "name", as: String.self)
                let retired = try version.decode(column: "retired_at", as: Date?.self) != nil
                versionOptions.append(.init(value: "\(id.uuidString.lowercased())/\(try version.decode(column: "id", as: UUID.self).uuidString.lowercased())",
                                            label: "\(name) \(label)\(retired ? " (retired)" : "")"))
                return retired ? "\(label) (retired)" : label
            }
            return [.init(text: name), .init(text: labels.joined(separator: ", ")),
                    .init(text: try product.decode(column: "retired_at", as: Date?.self) == nil ? "offered" : "retired")]
        }
        let productOptions: [AdminSection.Option] = try products.map {
            .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
        }
        page.forms = [
            .init(id: "add-product", title: "Add a product", action: "/admin/products", fields: [.init("name", "Name", required: true)], submit: "Add product"),
            .init(id: "add-version", title: "Add a version", action: "/admin/versions", fields: [
                .init("product_id", "Product", type: "select", required: true, options: productOptions),
                .init("name", "Version", required: true), .init("released_on", "Released on", type: "date"),
            ], submit: "Add version"),
            .init(id: "change-product", title: "Rename or retire a product", action: "/admin/products/change", fields: [
                .init("entry", "Product", type: "select", required: true, options: productOptions),
                .init("name", "New name", help: "Every case shows the new name."), AdminController.retirement,
            ], submit: "Change product"),
            .init(id: "change-version", title: "Rename or retire a version", action: "/admin/versions/change", fields: [
                .init("entry", "Version", type: "select", required: true, options: versionOptions),
                .init("name", "New name"), .init("released_on", "Released on", type: "date"), AdminController.retirement,
            ], submit: "Change version"),
        ]
    }
}
