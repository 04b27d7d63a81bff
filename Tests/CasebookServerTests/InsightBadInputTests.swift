@testable import CasebookServer
import CasebookCore
import Foundation
import Testing
import Vapor

@Suite("Bad input to equipment, knowledge and insight endpoints")
struct InsightBadInputTests {
    @Test("empty, huge, malformed and foreign values are refused with a problem and write nothing", arguments: TestDatabase.all)
    func refused(database: TestDatabase) async throws {
        try await withCasebook(database, configure: { $0.equipment.maxRecordingBytes = 2_048 }) { app in
            let f = try await Fixture.make(app)
            func expectProblem(_ response: APIResponse, _ status: HTTPStatus, _ what: String) {
                #expect(response.status == status && response.isProblem, "\(what): \(response.status) \(response.text)")
            }
            let reference = try await f.openCase(app)
            let foreign = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Globex", "description": "x"]).json["reference"] as! String

            // Knowledge: a query or an article beyond the limits.
            expectProblem(try await app.call(.GET, "/api/v1/knowledge/suggest?q=" + String(repeating: "a", count: 5_001), token: f.customer), .badRequest, "huge query")
            expectProblem(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent,
                                             json: ["title": "Big", "body": String(repeating: "x", count: 100_001)]), .unprocessableEntity, "huge body")
            expectProblem(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: ["title": "  ", "body": "y"]), .unprocessableEntity, "blank title")
            #expect(try await rowCount(app, "knowledge_articles") == 0)

            // Assets: linking another organisation's case, or a case that does not exist.
            let asset = try await AssetAPITests.asset(app, f)["id"] as! String
            expectProblem(try await app.call(.POST, "/api/v1/assets/\(asset)/cases", token: f.agent, json: ["reference": foreign]), .conflict, "foreign case")
            expectProblem(try await app.call(.POST, "/api/v1/assets/\(asset)/cases", token: f.agent, json: ["reference": "CB-99999"]), .notFound, "no case")
            #expect(try await rowCount(app, "asset_cases") == 0)

            // Alerts: more than one notification may carry.
            let many = (0...AlertmanagerWebhook.maxAlerts).map { n -> [String: Any] in ["status": "firing", "labels": ["alertname": "A\(n)"]] }
            expectProblem(try await app.call(.POST, "/api/v1/alerts/alertmanager", token: f.agent, json: ["version": "4", "alerts": many]),
                          .unprocessableEntity, "too many alerts")
            #expect(try await rowCount(app, "monitoring_alerts") == 0)

            // Calls: a recording over the configured limit.
            let call = try await app.call(.POST, "/api/v1/cases/\(reference)/calls", token: f.agent,
                                          json: ["direction": "outbound", "number": "+34 600 000 000", "duration_seconds": 10])
            let id = call.json["id"] as! String
            let big = Data(WAVAudioTestTone.wav(seconds: 1))
            var headers = HTTPHeaders()
            headers.add(name: .authorization, value: "Bearer \(f.agent)")
            headers.contentType = HTTPMediaType(type: "audio", subType: "wav")
            let tooBig = try await app.testing().sendRequest(.PUT, "/api/v1/cases/\(reference)/calls/\(id)/recording", headers: headers, body: ByteBuffer(data: big))
            #expect(tooBig.status == .payloadTooLarge)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/calls", token: f.agent).list.first?["recording"] == nil)
            expectProblem(try await app.call(.GET, "/api/v1/cases/\(foreign)/calls", token: f.customer), .notFound, "another customer's case")

            // Problems: an unknown case, and choosing a workaround that does not exist.
            expectProblem(try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "P", "cases": ["CB-99999"]]), .notFound, "unknown case")
            #expect(try await rowCount(app, "problems") == 0)
            let problem = try await app.call(.POST, "/api/v1/problems", token: f.agent, json: ["title": "P", "cases": [reference]])
            #expect(problem.status == .created)
            expectProblem(try await app.call(.POST, "/api/v1/cases/\(reference)/problem-choice", token: f.customer, json: ["choice": "workaround"]),
                          .conflict, "no workaround yet")

            // RCA: action items need text; notices need a body.
            let rca = try await app.call(.POST, "/api/v1/rca-reports", token: f.agent, json: ["title": "R", "case_reference": reference]).json["id"] as! String
            expectProblem(try await app.call(.PATCH, "/api/v1/rca-reports/\(rca)", token: f.agent, json: ["internal": ["action_items": [["text": " "]]]]),
                          .unprocessableEntity, "empty action")
            expectProblem(try await app.call(.PATCH, "/api/v1/rca-reports/\(rca)", token: f.agent, json: ["internal": ["summary": "s", "mood": "x"]]),
                          .unprocessableEntity, "unknown part")
            expectProblem(try await app.call(.POST, "/api/v1/notices/preview", token: f.agent,
                                             json: ["product_version_id": UUID().uuidString, "subject": "S", "body": "   "]), .unprocessableEntity, "blank body")
            #expect(try await rowCount(app, "proactive_notices") == 0)

            // Surveys: a comment beyond the limit is refused and the survey stays unanswered.
            try await SatisfactionTests.solve(app, f, reference)
            _ = try await SatisfactionSurveys(services: app.casebook).sendDue()
            let long = try await app.call(.POST, "/api/v1/cases/\(reference)/satisfaction", token: f.customer,
                                          json: ["score": 4, "comment": String(repeating: "c", count: 5_001)])
            expectProblem(long, .unprocessableEntity, "huge comment")
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/satisfaction", token: f.customer).json["score"] == nil)
            expectProblem(try await app.call(.POST, "/api/v1/cases/\(reference)/satisfaction", token: f.customer, json: ["score": 0]), .unprocessableEntity, "score 0")
        }
    }
}

/// A small mono 16-bit WAV of silence, for upload limits.
enum WAVAudioTestTone {
    static func wav(seconds: Double) -> [UInt8] {
        let samples = [Int16](repeating: 0, count: Int(16_000 * seconds))
        return CasebookCore.WAVAudio.encode(samples, sampleRate: 16_000)
    }
}
