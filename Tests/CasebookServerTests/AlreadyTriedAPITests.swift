@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Already tried, found in what customers write")
struct AlreadyTriedAPITests {
    @Test("sentences from customers' own messages in any language, never staff replies; shown on the case page", arguments: TestDatabase.all)
    func fromMessages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app, subject: "Impresora",
                                                 description: "La impresora no imprime. Ya he reiniciado el equipo y cambiado el cable, sin éxito.")
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: ["text": "I restarted the print service on our side."])
            _ = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer,
                                   json: ["text": "Immer noch nichts. Ich habe den Treiber bereits neu installiert, ohne Erfolg. Haben Sie eine Idee?"])
            let answer = try await app.call(.GET, "/api/v1/cases/\(reference)/already-tried", token: f.agent)
            #expect(answer.status == .ok, "\(answer.text)")
            let found = answer.json["from_messages"] as? [[String: Any]] ?? []
            #expect(found.compactMap { $0["sentence"] as? String } == ["Ya he reiniciado el equipo y cambiado el cable, sin éxito.",
                                                                      "Ich habe den Treiber bereits neu installiert, ohne Erfolg."], "\(found)")
            #expect(found.compactMap { $0["language"] as? String } == ["es", "de"])
            #expect((answer.json["from_answers"] as? [Any])?.isEmpty == true)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/already-tried", token: f.customer).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/cases/CB-99999/already-tried", token: f.agent).status == .notFound)

            let agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            var session = agent
            let page = try await session.get(app, "/desk/cases/\(reference)")
            #expect(page.text.contains("id=\"tried-said-title\"") && page.text.contains("<q>Ich habe den Treiber bereits neu installiert, ohne Erfolg.</q>"))
            #expect(!page.text.contains("<q>I restarted the print service"))
        }
    }
}
