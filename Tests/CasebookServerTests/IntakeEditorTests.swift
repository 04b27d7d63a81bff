@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("The intake flow editor")
struct IntakeEditorTests {
    static let first: [String: String] = [
        "q0.key": "shows_error", "q0.label": "Does the printer show an error?", "q0.why": "An error code points to the part.", "q0.kind": "yes_no",
        "q0.required": "on", "q0.position": "1",
        "q1.key": "error_code", "q1.label": "Error code", "q1.why": "Each code names one part.", "q1.kind": "choice", "q1.options": "E01\nE02\nother",
        "q1.condition_question": "shows_error", "q1.condition_values": "yes", "q1.position": "2",
        "q2.key": "tried", "q2.label": "What have you tried?", "q2.why": "So we never ask you to repeat it.", "q2.kind": "text", "q2.already_tried": "on",
        "q2.position": "3",
    ]

    @Test("questions are edited as fields, previewed as the customer sees them, and publishing says what changed", arguments: TestDatabase.all)
    func editor(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let category = try await app.call(.POST, "/api/v1/categories", token: fixture.admin, json: ["name": "Printing"]).json["id"] as! String
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let empty = try await admin.get(app, "/admin/categories/\(category)/intake")
            #expect(empty.status == .ok && empty.text.contains("name=\"q0.label\"") && empty.text.contains("name=\"q1.label\""), "two blank questions to start")

            let preview = try await admin.post(app, "/admin/categories/\(category)/intake/preview", Self.first)
            #expect(preview.status == .ok && preview.text.contains("Preview of an unpublished version"))
            #expect(preview.text.contains("Does the printer show an error?") && preview.text.contains("An error code points to the part.")
                    && preview.text.contains("data-show-when=\"shows_error\""))
            #expect(try await app.call(.GET, "/api/v1/categories/\(category)/intake", token: fixture.customer).status == .notFound, "a preview publishes nothing")

            let published = try await admin.post(app, "/admin/categories/\(category)/intake", Self.first)
            #expect(published.status == .seeOther)
            let page = try await admin.get(app, "/admin/categories/\(category)/intake")
            #expect(page.text.contains("Published version 1: added shows_error, error_code, tried."))
            let stored = try await app.call(.GET, "/api/v1/categories/\(category)/intake", token: fixture.customer)
            let questions = stored.json["questions"] as? [[String: Any]] ?? []
            #expect(questions.map { $0["key"] as? String } == ["shows_error", "error_code", "tried"])
            #expect((questions[1]["condition"] as? [String: Any])?["question"] as? String == "shows_error" && questions[2]["already_tried"] as? Bool == true)

            var second = Self.first
            second["q1.why"] = "Each code names one part, so we bring the right spare."
            second["q2.remove"] = "on"
            second["q3.key"] = "serial"
            second["q3.label"] = "Serial number"
            second["q3.kind"] = "text"
            second["q3.why"] = "It tells us the model and its history."
            second["q3.position"] = "0"
            let republished = try await admin.post(app, "/admin/categories/\(category)/intake", second)
            #expect(republished.status == .seeOther, "\(AreaWorkflowTests.alert(republished))")
            let after = try await admin.get(app, "/admin/categories/\(category)/intake")
            #expect(after.text.contains("Published version 2: added serial; removed tried; changed error_code (why)."), "\(after.text.components(separatedBy: "class=\"flash\"").last?.prefix(300) ?? "")")

            var broken = second
            broken["q1.condition_question"] = "no_such_question"
            let refused = try await admin.post(app, "/admin/categories/\(category)/intake", broken)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Not published") && refused.text.contains("value=\"no_such_question\""))
            let half = try await admin.post(app, "/admin/categories/\(category)/intake", ["q0.key": "only_a_key"])
            #expect(half.status == .unprocessableEntity && half.text.contains("needs both a key and a label") && half.text.contains("value=\"only_a_key\""))
        }
    }
}
