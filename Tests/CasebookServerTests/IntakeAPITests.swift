@testable import CasebookServer
import Foundation
import Testing
import VaporTesting

@Suite("Intake flows over the API")
struct IntakeAPITests {
    static var questions: [[String: Any]] { [
        ["key": "company", "label": "Company", "why": "So we apply your contract.", "kind": "text", "required": true, "prefill": "organisation"],
        ["key": "shows_error", "label": "Does it show an error?", "why": "A code names the part.", "kind": "yes_no", "required": true],
        ["key": "error_code", "label": "Error code", "why": "Each code names a part.", "kind": "choice", "options": ["E01", "E02"], "required": true,
         "condition": ["question": "shows_error", "equals": ["yes"]]],
        ["key": "tried", "label": "What have you tried?", "why": "So we do not ask again.", "kind": "text", "already_tried": true],
    ] }

    func category(_ app: Application, _ fixture: Fixture) async throws -> String {
        let created = try await app.call(.POST, "/api/v1/categories", token: fixture.admin, json: ["name": "Printing", "description": "Printers"])
        return created.json["id"] as! String
    }

    @Test("admins publish versions; a bad flow is refused naming each question; customers see what their record answers",
          arguments: TestDatabase.all)
    func publishing(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let id = try await category(app, fixture)
            let none = try await app.call(.GET, "/api/v1/categories/\(id)/intake", token: fixture.customer)
            #expect(none.status == .notFound && none.isProblem)
            let byAgent = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.agent, json: ["questions": Self.questions])
            #expect(byAgent.status == .forbidden)
            var broken = Self.questions
            broken[2]["condition"] = ["question": "later", "equals": ["x"]]
            broken[1]["why"] = ""
            let bad = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": broken])
            #expect(bad.status == .unprocessableEntity && bad.isProblem)
            let fields = (bad.json["errors"] as? [[String: Any]] ?? bad.json["field_errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(bad.text.contains("questions.error_code") && bad.text.contains("questions.shows_error"), "\(fields) \(bad.text)")
            let empty = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": []])
            #expect(empty.status == .unprocessableEntity)
            let first = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": Self.questions])
            #expect(first.status == .created && first.json["version"] as? Int == 1)
            let second = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": Array(Self.questions.prefix(2))])
            #expect(second.json["version"] as? Int == 2)
            let versions = try await app.call(.GET, "/api/v1/categories/\(id)/intake/versions", token: fixture.admin)
            #expect(versions.list.map { $0["version"] as? Int } == [2, 1])
            let seen = try await app.call(.GET, "/api/v1/categories/\(id)/intake", token: fixture.customer)
            #expect(seen.json["version"] as? Int == 2)
            #expect((seen.json["known"] as? [String: Any])?["company"] as? [String: Any] != nil)
            #expect(seen.text.contains("Acme"))
        }
    }

    @Test("a customer's case answers the flow; the branch is enforced; the case keeps the version it was filed with", arguments: TestDatabase.all)
    func filing(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let id = try await category(app, fixture)
            _ = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": Self.questions])
            let missing = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                             json: ["subject": "Jam", "description": "Jams", "category_id": id, "intake_answers": ["shows_error": "yes"]])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("intake_answers.error_code"))
            let fault = (missing.json["errors"] as? [[String: Any]])?.first { $0["field"] as? String == "intake_answers.error_code" }
            #expect(fault?["code"] as? String == "required", "a client can word the fault itself: \(missing.text)")
            let skipped = try await app.call(.POST, "/api/v1/cases", token: fixture.customer, json: ["subject": "Jam", "description": "Jams", "category_id": id])
            #expect(skipped.status == .unprocessableEntity, "customers always answer the flow")
            let unknown = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                             json: ["subject": "Jam", "description": "Jams", "category_id": id,
                                                    "intake_answers": ["shows_error": "no", "colour": "red"]])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("colour"))
            #expect(try await rowCount(app, "cases") == 0, "a refused case leaves nothing behind")
            let filed = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                           json: ["subject": "Jam", "description": "Jams", "category_id": id,
                                                  "intake_answers": ["shows_error": "yes", "error_code": "E02", "tried": "Reboot", "company": "Ignored"]])
            #expect(filed.status == .created)
            let reference = filed.json["reference"] as! String
            // A new version later does not change what this case answered.
            _ = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": Array(Self.questions.prefix(1))])
            let intake = try await app.call(.GET, "/api/v1/cases/\(reference)/intake", token: fixture.agent)
            #expect(intake.json["flow_version"] as? Int == 1)
            let answers = Dictionary(uniqueKeysWithValues: (intake.json["answers"] as? [[String: Any]] ?? []).map { ($0["key"] as! String, $0) })
            #expect(answers["company"]?["answer"] as? String == "Acme" && answers["company"]?["prefilled"] as? Bool == true)
            #expect(answers["error_code"]?["answer"] as? String == "E02")
            #expect(answers["tried"]?["already_tried"] as? Bool == true && answers["tried"]?["why"] as? String == "So we do not ask again.")
            let outsider = try await app.call(.GET, "/api/v1/cases/\(reference)/intake", token: fixture.outsider)
            #expect(outsider.status == .notFound)
            // Staff logging a call may skip the flow; answers to a category without one are refused.
            let byAgent = try await app.call(.POST, "/api/v1/cases", token: fixture.agent,
                                             json: ["subject": "Call", "description": "Phoned in", "category_id": id, "requester_id": fixture.customerID])
            #expect(byAgent.status == .created)
            let plain = try await app.call(.POST, "/api/v1/categories", token: fixture.admin, json: ["name": "Billing", "description": "Invoices"])
            let stray = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                           json: ["subject": "Bill", "description": "Wrong", "category_id": plain.json["id"] as! String, "intake_answers": ["a": "b"]])
            #expect(stray.status == .unprocessableEntity)
        }
    }

    @Test("bad values: unknown or malformed category, too many questions, oversized answers, malformed bodies", arguments: [TestDatabase.sqlite])
    func badValues(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            let id = try await category(app, fixture)
            for path in ["/api/v1/categories/\(UUID())/intake", "/api/v1/categories/not-a-uuid/intake"] {
                let missing = try await app.call(.PUT, path, token: fixture.admin, json: ["questions": Self.questions])
                #expect(missing.status == .notFound && missing.isProblem, "\(path)")
            }
            let many = (0..<51).map { ["key": "q\($0)", "label": "Q\($0)", "why": "Because", "kind": "text"] }
            let tooMany = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": many])
            #expect(tooMany.status == .unprocessableEntity && tooMany.isProblem)
            let malformed = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, raw: #"{"questions": [{"key": 1}]"#)
            #expect(malformed.status == .badRequest || malformed.status == .unprocessableEntity)
            #expect(malformed.isProblem)
            _ = try await app.call(.PUT, "/api/v1/categories/\(id)/intake", token: fixture.admin, json: ["questions": Self.questions])
            let huge = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                          json: ["subject": "Jam", "description": "Jams", "category_id": id,
                                                 "intake_answers": ["shows_error": "no", "tried": String(repeating: "x", count: 10_001)]])
            #expect(huge.status == .unprocessableEntity && huge.text.contains("intake_answers.tried"))
            #expect((huge.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "too_long")
            let wrongType = try await app.call(.POST, "/api/v1/cases", token: fixture.customer,
                                               raw: #"{"subject": "Jam", "description": "Jams", "category_id": "\#(id)", "intake_answers": {"shows_error": true}}"#)
            #expect(wrongType.status == .badRequest || wrongType.status == .unprocessableEntity)
            #expect(try await rowCount(app, "cases") == 0)
            let unknownCase = try await app.call(.GET, "/api/v1/cases/CB-999999/intake", token: fixture.agent)
            #expect(unknownCase.status == .notFound)
        }
    }
}
