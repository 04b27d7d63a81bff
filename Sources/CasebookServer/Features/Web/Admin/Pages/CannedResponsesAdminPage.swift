import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Canned responses, per language.
struct CannedResponsesAdminPage: AdminPage {
    let name = "canned"
    let title = "Canned responses"
    let intro = "Shared replies with placeholders, per language."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let sql = req.store.sql
        let languages = AdminSection.languageOptions
        page.columns = ["Title", "Language", "Text", ""]
        page.rows = try await CannedResponses.all(on: sql).map {
            [.init(text: $0.title), .init(text: $0.language), .init(text: $0.body),
             .init(text: "Delete", action: "/admin/canned/\($0.id.uuidString.lowercased())/delete")]
        }
        page.forms = [.init(id: "add-canned", title: "Add a canned response", action: "/admin/canned", fields: [
            .init("title", "Title", required: true), .init("language", "Language", type: "select", options: languages),
            .init("body", "Text", type: "textarea", required: true,
                  help: "Placeholders: " + PlaceholderTemplate.names.map { "{{\($0)}}" }.joined(separator: " ")),
        ], submit: "Add canned response")]
    }
}
