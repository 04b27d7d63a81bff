@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Knowledge articles in several languages")
struct KnowledgeTranslationTests {
    @Test("an article links its translations; readers get their language on /kb, with the others named; a family keeps one article per language",
          arguments: TestDatabase.all)
    func families(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let jam = try await KnowledgeAPITests.article(app, f, ["title": "Clearing a paper jam", "status": "published", "audience": "public",
                                                                   "language": "en", "body": "Open the rear door.\n\nRemove the paper."])
            let atasco = try await KnowledgeAPITests.article(app, f, [
                "title": "Cómo retirar un atasco de papel", "status": "published", "audience": "public", "language": "es",
                "body": "Abra la puerta trasera.\n\nRetire el papel.", "translation_of": jam])
            let draft = try await KnowledgeAPITests.article(app, f, ["title": "Papierstau beheben", "status": "draft", "audience": "public",
                                                                     "language": "de", "body": "Hintere Klappe öffnen.", "translation_of": jam])

            let original = try await app.call(.GET, "/api/v1/knowledge/articles/\(jam)", token: f.agent).json
            let links = (original["translations"] as? [[String: Any]] ?? []).compactMap { $0["language"] as? String }
            #expect(links == ["de", "es"], "\(original)")
            let seenByCustomer = try await app.call(.GET, "/api/v1/knowledge/articles/\(atasco)", token: f.customer).json
            #expect((seenByCustomer["translations"] as? [[String: Any]])?.map { $0["language"] as? String } == ["en"], "the draft is not named to customers")
            #expect((seenByCustomer["translation_of"] as? String)?.lowercased() == jam.lowercased())

            // Suggestions while typing: a Spanish customer is offered the Spanish version of what matched in English.
            #expect(try await app.call(.PATCH, "/api/v1/users/\(f.customerID)", token: f.admin, json: ["language": "es"]).status == .ok)
            let offered = try await app.call(.GET, "/api/v1/knowledge/suggest?q=paper%20jam%20rear%20door", token: f.customer).json
            let titles = (offered["articles"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            #expect(titles.first == "Cómo retirar un atasco de papel" && !titles.contains("Clearing a paper jam"), "\(offered)")
            let english = try await app.call(.GET, "/api/v1/knowledge/suggest?q=paper%20jam%20rear%20door", token: f.colleague).json
            #expect((english["articles"] as? [[String: Any]])?.first?["title"] as? String == "Clearing a paper jam", "\(english)")

            // One per language, pointing at the original, in another language than it.
            let twice = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: [
                "title": "Atasco", "body": "Otra", "language": "es", "translation_of": jam])
            #expect(twice.status == .unprocessableEntity && twice.text.contains("Cómo retirar un atasco de papel"), "\(twice.text)")
            let chained = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: [
                "title": "Bourrage", "body": "Ouvrir", "language": "fr", "translation_of": atasco])
            #expect(chained.status == .unprocessableEntity && chained.text.contains("original"), "\(chained.text)")
            let same = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: [
                "title": "Jam again", "body": "Open", "language": "en", "translation_of": jam])
            #expect(same.status == .unprocessableEntity && same.text.contains("another language"), "\(same.text)")
            #expect(try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: [
                "title": "Nada", "body": "x", "language": "fr", "translation_of": UUID().uuidString]).status == .unprocessableEntity)
            let malformed = try await app.call(.POST, "/api/v1/knowledge/articles", token: f.agent, json: [
                "title": "Nada", "body": "x", "language": "fr", "translation_of": "not-a-uuid"])
            #expect((malformed.status == .badRequest || malformed.status == .unprocessableEntity) && malformed.isProblem
                    && malformed.text.contains("translation_of"), "\(malformed.status) \(malformed.text)")
            let selfLink = try await app.call(.PATCH, "/api/v1/knowledge/articles/\(jam)", token: f.agent, json: ["translation_of": jam])
            #expect(selfLink.status == .unprocessableEntity, "\(selfLink.text)")
            let originalMoves = try await app.call(.PATCH, "/api/v1/knowledge/articles/\(jam)", token: f.agent, json: ["language": "es"])
            #expect(originalMoves.status == .unprocessableEntity && originalMoves.text.contains("language"), "\(originalMoves.text)")
            #expect(try await app.call(.GET, "/api/v1/knowledge/articles/\(jam)", token: f.agent).json["language"] as? String == "en")

            // /kb in the reader's language: the Spanish version for a Spanish browser, one entry per family.
            let spanish = [("Accept-Language", "es-ES,es;q=0.9")]
            let index = try await app.call(.GET, "/kb", headers: spanish)
            #expect(index.text.contains("<html lang=\"es\">") && index.text.contains("Cómo retirar un atasco de papel")
                    && !index.text.contains("Clearing a paper jam") && index.text.contains("Buscar"), "\(index.text)")
            let german = try await app.call(.GET, "/kb?q=jam", headers: [("Accept-Language", "de")])
            #expect(german.text.contains(#"<li lang="en"><a href="/kb/\#(jam.lowercased())">Clearing a paper jam</a>"#)
                    && !german.text.contains("Papierstau"), "no published German version: the original, marked as English")
            let page = try await app.call(.GET, "/kb/\(jam)", headers: spanish)
            #expect(page.text.contains("Este artículo también está en Español:") && page.text.contains("href=\"/kb/\(atasco.lowercased())\"")
                    && page.text.contains("¿Le ha sido útil?") && page.text.contains(#"<article lang="en">"#) && !page.text.contains(draft.lowercased()),
                    "\(page.text)")
            let french = try await app.call(.GET, "/kb/\(atasco)", headers: [("Accept-Language", "fr")])
            #expect(french.text.contains("Aussi en :") && french.text.contains(#"hreflang="en""#) && french.text.contains("Cet article vous a-t-il aidé ?"))

            // The translations page names the articles readers of a language do not have yet (a draft does not count).
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")
            let toDo = try await admin.get(app, "/admin/translations?language=de")
            #expect(toDo.text.contains("id=\"articles-untranslated\"") && toDo.text.contains("Clearing a paper jam"), "\(toDo.text)")
            #expect(!(try await admin.get(app, "/admin/translations?language=es").text.contains("Clearing a paper jam")))

            // Made an original again: no longer in the family.
            #expect(try await app.call(.PATCH, "/api/v1/knowledge/articles/\(atasco)", token: f.agent, json: ["translation_of": NSNull()]).status == .ok)
            let alone = try await app.call(.GET, "/api/v1/knowledge/articles/\(jam)", token: f.agent).json
            #expect((alone["translations"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["de"])
        }
    }
}
