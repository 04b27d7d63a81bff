@testable import CasebookServer
import Fluent
import Foundation
import Testing
import Vapor

/// The switch at the foot of every page: a visitor's choice is remembered by a cookie, a signed-in person's in their profile.
@Suite("Language switch")
struct LanguageSwitchTests {
    @Test("a visitor chooses French on the sign-in page and keeps it; Accept-Language no longer wins", arguments: [TestDatabase.sqlite])
    func visitor(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let login = try await app.call(.GET, "/login", headers: [("Accept-Language", "es")])
            #expect(login.text.contains(#"<option value="fr" lang="fr">Français</option>"#), "the switch offers every language")
            #expect(login.text.contains(#"<option value="es" lang="es" selected>Español</option>"#))
            var visitor = BrowserSession(cookie: BrowserSession.cookie(from: login) ?? "", csrf: BrowserSession.token(in: login.text))
            let chosen = try await visitor.post(app, "/language", ["language": "fr", "back": "/login"])
            #expect(chosen.status == .seeOther && chosen.headers.first(name: .location) == "/login")
            let cookie = chosen.headers[.setCookie].first { $0.hasPrefix("casebook_language=fr") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("Path=/"), "\(cookie)")
            visitor.cookie += "; casebook_language=fr"
            let again = try await app.call(.GET, "/login", headers: [("Cookie", visitor.cookie), ("Accept-Language", "es")])
            #expect(again.text.contains(#"<html lang="fr">"#) && again.text.contains("Se connecter"))
        }
    }

    @Test("a signed-in customer's choice goes into their profile and their portal follows it", arguments: TestDatabase.all)
    func signedIn(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            _ = try await carla.get(app, "/portal")
            let chosen = try await carla.post(app, "/language", ["language": "de", "back": "/portal?x=1"])
            #expect(chosen.status == .seeOther && chosen.headers.first(name: .location) == "/portal?x=1")
            let stored = try await UserModel.find(UUID(uuidString: fixture.customerID), on: app.db)
            #expect(stored?.language == "de")
            let portal = try await carla.get(app, "/portal")
            #expect(portal.text.contains(#"<html lang="de">"#) && portal.text.contains("Meine Anfragen"))
        }
    }

    @Test("an unknown language is refused with nothing changed, a foreign return address is not followed, a forged form is refused",
          arguments: [TestDatabase.sqlite])
    func refusals(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let fixture = try await Fixture.make(app)
            var carla = try await BrowserSession.signIn(app, email: "carla@acme.example")
            _ = try await carla.get(app, "/portal")
            let unknown = try await carla.post(app, "/language", ["language": "xx", "back": "/portal"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("language"), "\(unknown.status)")
            let huge = try await carla.post(app, "/language", ["language": String(repeating: "f", count: 10_000)])
            #expect(huge.status == .unprocessableEntity)
            #expect(try await UserModel.find(UUID(uuidString: fixture.customerID), on: app.db)?.language != "xx")
            for evil in ["//evil.example/", "https://evil.example/", "/\t/evil.example"] {
                let away = try await carla.post(app, "/language", ["language": "es", "back": evil])
                #expect(away.status == .seeOther && away.headers.first(name: .location) == "/", "\(evil) → \(away.headers.first(name: .location) ?? "")")
            }
            let forged = try await carla.post(app, "/language", ["language": "fr"], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(try await UserModel.find(UUID(uuidString: fixture.customerID), on: app.db)?.language == "es")
        }
    }
}
