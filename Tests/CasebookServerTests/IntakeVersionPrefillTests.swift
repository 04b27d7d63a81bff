@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Intake: the version on record")
struct IntakeVersionPrefillTests {
    static var questions: [[String: Any]] { [
        ["key": "version", "label": "Version", "why": "Fixes differ.", "kind": "product_version", "required": true, "prefill": "product_version"],
    ] }

    @Test("a version is offered from the requester's last case in the same category only, and the portal lets them change it",
          arguments: TestDatabase.all)
    func sameCategoryAndCorrectable(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let printer = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Printer"]).json["id"] as? String ?? ""
            let v42 = try await app.call(.POST, "/api/v1/products/\(printer)/versions", token: f.admin, json: ["name": "4.2"]).json["id"] as? String ?? ""
            var categories: [String] = []
            for name in ["Printing", "Networking"] {
                let id = try await app.call(.POST, "/api/v1/categories", token: f.admin, json: ["name": name]).json["id"] as? String ?? ""
                let published = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: f.admin, json: ["questions": Self.questions])
                #expect((200..<300).contains(published.status.code), "\(published.text)")
                categories.append(id)
            }
            let reference = try await f.openCase(app, subject: "Printer jams")
            let patched = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                             json: ["version": 1, "category_id": categories[0], "product_id": printer, "product_version_id": v42])
            #expect(patched.status == .ok, "\(patched.text)")
            let printing = try await app.call(.GET, "/api/v1/categories/\(categories[0])/intake", token: f.customer).json
            #expect(((printing["known"] as? [String: Any])?["version"]) != nil, "the printing case's version, for a printing request")
            let networking = try await app.call(.GET, "/api/v1/categories/\(categories[1])/intake", token: f.customer).json
            #expect(((networking["known"] as? [String: Any])?["version"]) == nil, "not a printer version for a network request")

            var browser = try await BrowserSession.signIn(app, email: "carla@acme.example")
            let page = try await browser.get(app, "/portal/new/\(categories[0])")
            #expect(page.text.contains(#"<select id="answer-version""#), "still a choice, not a fixed fact")
            #expect(page.text.contains(#"<option value="\#(v42.lowercased())" selected>"#), "with the version on record chosen")
        }
    }
}
