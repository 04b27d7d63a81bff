@testable import CasebookServer
import CasebookCore
import Foundation
import Testing
import Vapor

@Suite("Refusals in the reader's language")
struct FaultTextTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func catalog(_ language: String) throws -> [String: String] {
        let data = try Data(contentsOf: root.appendingPathComponent("Sources/CasebookServer/Resources/Locales/\(language).json"))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    /// Every fixed predicate the server refuses a field with (`.invalid("field", "is required")`), read from the sources.
    static func predicates() throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"\.invalid\("[^"]+", "((?:[^"\\]|\\.)*)"\)"#)
        // The request decoder's and the size limit's predicates, worded in ProblemMiddleware and Problem+Errors.
        let types = ["a string", "a number", "true or false", "an array", "an object or value of the documented type"]
        var found: Set<String> = ["is required", "is not defined", "is not valid JSON", "could not be read", "is larger than this accepts"]
        found.formUnion(types.map { "has the wrong type (expected \($0))" } + types.map { "must not be null (expected \($0))" })
        let sources = root.appendingPathComponent("Sources")
        for case let path as String in FileManager.default.enumerator(atPath: sources.path) ?? .init() where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let message = String(text[range])
                // A predicate with a value in it is built at run time and has no key.
                if !message.contains("\\(") && !message.contains("\\") { found.insert(message) }
            }
        }
        return found
    }

    @Test("every fixed field fault the server words has its key in every language, and is translated")
    func complete() throws {
        let predicates = try Self.predicates()
        #expect(predicates.count > 150, "the sources were read: \(predicates.count)")
        let english = try Self.catalog("en")
        for language in ["es", "fr", "de"] {
            let strings = try Self.catalog(language)
            let missing = predicates.filter { strings[FaultText.key($0)] == nil || english[FaultText.key($0)] != $0 }
            #expect(missing.isEmpty, "\(language) lacks \(missing.sorted())")
            let untranslated = predicates.filter { strings[FaultText.key($0)] == $0 }
            #expect(untranslated.isEmpty, "\(language) keeps English for \(untranslated.sorted())")
        }
    }

    @Test("the request decoder words its faults as the predicates the catalogs hold")
    func decoderWords() throws {
        struct Body: Decodable { let name: String; let count: Int }
        let predicates = try Self.predicates()
        for json in [#"{"name": 1, "count": 1}"#, #"{"name": null, "count": 1}"#, #"{"count": 1}"#, #"{"name": "x", "count": "many"}"#] {
            do {
                _ = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
                Issue.record("\(json) decoded")
            } catch let error as DecodingError {
                let message = try #require(ProblemMiddleware.problem(for: error).fieldErrors.first?.message)
                #expect(predicates.contains(message), "\(json): '\(message)' has no catalog key")
            }
        }
    }

    @Test("a refusal is said with the page's label and the predicate in the reader's language; one with a value in it stays as written")
    func sentences() throws {
        let spanish = FaultText(strings: try Self.catalog("es"))
        let problem = PageProblem(status: .unprocessableEntity, detail: "Field 'name' is required.", fields: ["name": "is required"])
        let labelled = spanish.problem(problem) { $0 == "name" ? "Nombre" : nil }
        #expect(labelled.detail == "Nombre: es obligatorio." && labelled.fields["name"] == "es obligatorio")
        #expect(spanish.problem(problem) { _ in nil }.detail == "El campo «name» es obligatorio.")
        let valued = PageProblem(status: .unprocessableEntity, detail: "Field 'tier' must be one of 1, 2.", fields: ["tier": "must be one of 1, 2"])
        #expect(spanish.problem(valued) { _ in "Nivel" }.detail == "Nivel: must be one of 1, 2.")
        #expect(spanish.transition(from: .closed, to: .new).hasPrefix("Un caso no puede pasar de closed a new"))
    }

    @Test("the desk's new-case form refuses a Spanish agent in Spanish, keeping what was typed", arguments: TestDatabase.all)
    func deskForm(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let spanish = try await app.call(.PATCH, "/api/v1/users/\(f.agentID)", token: f.admin, json: ["language": "es"])
            #expect(spanish.status == .ok, "\(spanish.text)")
            var agent = try await BrowserSession.signIn(app, email: "agent@cb.example")
            _ = try await agent.get(app, "/desk/new")
            let body = ["subject": "La impresora no imprime", "_csrf": agent.csrf].map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            let refused = try await app.call(.POST, "/desk/new", raw: body, headers: [("Cookie", agent.cookie),
                                                                                       ("Content-Type", "application/x-www-form-urlencoded")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("falta: busque a la persona o añádala como nueva"), "\(refused.text.prefix(3000))")
            #expect(refused.text.contains("La impresora no imprime"))
        }
    }
}
