import CasebookCore
import Foundation
import Vapor

/// The case page's tone correction (`POST /desk/cases/{reference}/messages/{message}/tone`), through the same use case as the API.
struct TonePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("desk", "cases", ":reference", "messages", ":message", "tone", use: correct)
    }

    struct Form: Content {
        var tone: String?
    }

    @Sendable func correct(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        let (reference, current, services) = (try req.parameters.require("reference"), try req.current, req.casebook)
        guard let messageID = req.parameters.get("message").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The message") }
        let anchor = "#message-" + messageID.uuidString.lowercased()
        do {
            let tone = try ToneController.tone(try req.content.decode(Form.self).tone)
            let outcome = try await req.store.write { db in
                try await CorrectTone(services: services).run(reference: reference, messageID: messageID, to: tone, by: current, on: db)
            }
            if outcome.changed {
                req.flash(PlaceholderTemplate.render(req.text("tone_corrected", "Tone set to {{tone}}; the correction is counted on the tone report."),
                                                     values: ["tone": req.text("tone_" + tone.rawValue, tone.rawValue)]))
            }
        } catch let DomainError.invalid(_, message) {
            req.flash(PlaceholderTemplate.render(req.text("tone_refused", "The tone was not changed: {{reason}}."), values: ["reason": message]))
        }
        return req.redirect(to: "/desk/cases/\(reference)\(anchor)")
    }
}
