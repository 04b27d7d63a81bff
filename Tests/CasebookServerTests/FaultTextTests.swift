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

    /// Every catalog, as the server loads them.
    static func webText() throws -> WebText {
        WebText(catalogs: try Dictionary(uniqueKeysWithValues: WebText.languages.map { ($0, try catalog($0)) }))
    }

    /// Every Swift source file under Sources, by path.
    static func sources() throws -> [(path: String, text: String)] {
        let sources = root.appendingPathComponent("Sources")
        return try (FileManager.default.enumerator(atPath: sources.path) ?? .init()).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
            .map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// The string literals a pattern's first group captures in every source, unescaped; `suffix` completes each.
    static func literals(_ pattern: String, suffix: String = "") throws -> [(path: String, text: String)] {
        let expression = try NSRegularExpression(pattern: pattern)
        var found: [(String, String)] = []
        for (path, text) in try sources() {
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let literal = String(text[range]).replacingOccurrences(of: #"\""#, with: "\"").replacingOccurrences(of: #"\\"#, with: #"\"#)
                found.append((path, literal + suffix))
            }
        }
        return found
    }

    static let literal = #""((?:[^"\\]|\\.)*)""#

    /// Every fixed predicate the server refuses a field with (`.invalid("field", "is required")`), read from the sources.
    static func predicates() throws -> Set<String> {
        // The request decoder's and the size limit's predicates, worded in ProblemMiddleware and Problem+Errors.
        let types = ["a string", "a number", "true or false", "an array", "an object or value of the documented type"]
        var found: Set<String> = ["is required", "is not defined", "is not valid JSON", "could not be read", "is larger than this accepts"]
        found.formUnion(types.map { "has the wrong type (expected \($0))" } + types.map { "must not be null (expected \($0))" })
        for (_, message) in try fieldFaults() where !message.contains("\\(") {
            found.insert(message)
        }
        return found
    }

    /// Every field fault in the sources: `.invalid("field", "…")` and a case rule's `.invalidField(name: …, reason: "…")`.
    static func fieldFaults() throws -> [(path: String, text: String)] {
        try literals(#"\.invalid\((?:"[^"]+"|[A-Za-z_.]+), "# + literal + #"\)"#)
            + literals(#"\.invalidField\(name: [A-Za-z_."]+, reason: "# + literal + #"\)"#)
    }

    /// Every sentence the server refuses or answers with (`Problem.conflict("…")`, `.notFound("The case")`, a
    /// problem's `detail:`, a page's `reason:`), by source file. Benchmarks and the operations commands talk to the
    /// admin at a terminal, not to a page.
    static func sentences() throws -> [(path: String, text: String)] {
        let owner = #"(?:Problem\.|DomainError\.|\s\.)"#
        let found = try literals(owner + #"(?:badRequest|conflict|forbidden|malformed)\("# + literal + #"\)"#)
            + literals(owner + #"notFound\("# + literal + #"\)"#, suffix: " was not found.")
            + literals(#"detail: "# + literal)
            + literals(#"(?:Abort\(\.[a-zA-Z]+, |refuse\(req, provider: [a-z]+, )reason: "# + literal)
        return found.filter { !$0.path.contains("Benchmark") && !$0.path.hasSuffix("AdminOperations.swift") && !$0.path.hasSuffix("MailTransport.swift") }
    }

    /// A text with each `\(…)` replaced by a sample value ⟨1⟩, ⟨2⟩…, or nil when its interpolations cannot be read.
    static func sample(_ text: String) -> (text: String, values: [String])? {
        var output = "", values: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "\\(") {
            output += rest[..<open.lowerBound]
            var depth = 1, index = open.upperBound
            while depth > 0 {
                guard index < rest.endIndex else { return nil }
                if rest[index] == "(" { depth += 1 } else if rest[index] == ")" { depth -= 1 }
                index = rest.index(after: index)
            }
            values.append("⟨\(values.count + 1)⟩")
            output += values.last!
            rest = rest[index...]
        }
        return (output + rest, values)
    }

    @Test("every fixed field fault the server words has its key in every language, and is translated")
    func complete() throws {
        let predicates = try Self.predicates()
        #expect(predicates.count > 150, "the sources were read: \(predicates.count)")
        try Self.expectTranslated(predicates)
    }

    /// Each text has its key in every catalog, English holds it as written, and no other language keeps it in English.
    static func expectTranslated(_ texts: Set<String>) throws {
        let english = try catalog("en")
        for language in ["es", "fr", "de"] {
            let strings = try catalog(language)
            let missing = texts.filter { strings[FaultText.key($0)] == nil || english[FaultText.key($0)] != $0 }
            #expect(missing.isEmpty, "\(language) lacks \(missing.sorted())")
            let untranslated = texts.filter { strings[FaultText.key($0)] == $0 }
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

    @Test("every fixed sentence a refusal or answer carries has its key in every language, and is translated")
    func completeSentences() throws {
        let sentences = Set(try Self.sentences().map(\.text).filter { !$0.contains("\\(") })
        #expect(sentences.count > 140, "the sources were read: \(sentences.count)")
        #expect(sentences.contains("This form has expired or did not come from Casebook. Reload the page and try again."))
        try Self.expectTranslated(sentences)
    }

    @Test("every refusal built with values in it is recognised by a template and said in each language with the same values")
    func valuedSentences() throws {
        let valued = (try Self.sentences() + Self.fieldFaults()).filter { $0.text.contains("\\(") }.compactMap { Self.sample($0.text) }
            // A text that is nothing but values ("\(error)") or wraps another refusal whole has no words of its own.
            .filter { sample in sample.values.reduce(sample.text) { $0.replacingOccurrences(of: $1, with: "") }.count > 8 }
            .filter { !["⟨1⟩ was not found.", "Field '⟨1⟩' ⟨2⟩.", "must contain {⟨1⟩}"].contains($0.text) }
        #expect(valued.count > 70, "the sources were read: \(valued.count)")
        let text = try Self.webText()
        for language in ["es", "fr", "de"] {
            let words = FaultText(text: text, language: language)
            for sample in valued {
                let said = words.message(sample.text)
                #expect(said != sample.text && sample.values.allSatisfy(said.contains), "\(language): '\(sample.text)' → '\(said)'")
            }
        }
    }

    @Test("a sentence with values is said again with the same values; a value that is a refusal is translated too")
    func templates() throws {
        let spanish = FaultText(text: try Self.webText(), language: "es")
        #expect(spanish.message("Case CB-10042 was not found.") == "No se encontró el caso CB-10042.")
        #expect(spanish.message("A product named 'Router X' already exists.") == "Ya existe un producto llamado «Router X».")
        #expect(spanish.message("Row 4: The asset was not found.") == "Fila 4: No se encontró el equipo.")
        #expect(spanish.message("names no known product") == "no nombra ningún producto conocido")
        #expect(spanish.message("could not read a Freshdesk export in 'march': it is a Zendesk export (users.json, no contacts.json): choose Zendesk as its source")
                    == "no pudo leer una exportación de Freshdesk en «march»: es una exportación de Zendesk (users.json, sin contacts.json): elija Zendesk como origen")
        // A value may hold the words that follow it elsewhere: the shortest value that lets the rest match is taken.
        #expect(spanish.message("Case 'a' is at version 3, not 2; nothing was changed. Review the current state and try again.")
                    .hasPrefix("El caso 'a' está en la versión 3, no en la 2"))
        #expect(spanish.message("Something nobody wrote.") == "Something nobody wrote.")
        let english = FaultText(text: try Self.webText(), language: "en")
        #expect(english.message("Case CB-10042 was not found.") == "Case CB-10042 was not found.")
        let template = try #require(FaultTemplate(key: "k", english: "{{a}} and {{b}} are linked already."))
        #expect(template.values(in: "CB-1 and CB-2 are linked already.") == ["a": "CB-1", "b": "CB-2"])
        #expect(template.values(in: " and CB-2 are linked already.") == nil)
        #expect(template.values(in: "CB-1 and  are linked already.") == nil)
        #expect(FaultTemplate(key: "k", english: "{{a}}{{b}}") == nil && FaultTemplate(key: "k", english: "plain") == nil)
    }

    @Test("a refusal is said with the page's label and the predicate in the reader's language, values and all")
    func labelled() throws {
        let spanish = FaultText(text: try Self.webText(), language: "es")
        let problem = PageProblem(status: .unprocessableEntity, detail: "Field 'name' is required.", fields: ["name": "is required"])
        let labelled = spanish.problem(problem) { $0 == "name" ? "Nombre" : nil }
        #expect(labelled.detail == "Nombre: es obligatorio." && labelled.fields["name"] == "es obligatorio")
        #expect(spanish.problem(problem) { _ in nil }.detail == "El campo «name» es obligatorio.")
        let valued = PageProblem(status: .unprocessableEntity, detail: "Field 'tier' must be one of 1, 2.", fields: ["tier": "must be one of 1, 2"])
        #expect(spanish.problem(valued) { _ in "Nivel" }.detail == "Nivel: debe ser uno de 1, 2.")
        #expect(spanish.transition(from: .closed, to: .new).hasPrefix("Un caso no puede pasar de closed a new"))
    }

    @Test("the desk's new-case form refuses a Spanish agent in Spanish, keeping what was typed, and a missing case's page says so in Spanish", arguments: TestDatabase.all)
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
            let missing = try await app.call(.GET, "/desk/cases/CB-99999", headers: [("Cookie", agent.cookie), ("Accept", "text/html")])
            #expect(missing.status == .notFound && missing.text.contains("No se encontró el caso CB-99999."), "\(missing.text.prefix(3000))")
        }
    }

    @Test("an API caller that asks for a language reads the problem's title, detail and field messages in it; type, status and field names stay",
          arguments: TestDatabase.all)
    func apiProblems(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let missing = try await app.call(.GET, "/api/v1/cases/CB-99999", token: f.agent, headers: [("Accept-Language", "es-ES,es;q=0.9,en;q=0.5")])
            #expect(missing.status == .notFound && missing.isProblem)
            #expect(missing.json["detail"] as? String == "No se encontró el caso CB-99999.", "\(missing.text)")
            #expect(missing.json["title"] as? String == "No encontrado", "\(missing.text)")
            #expect((missing.json["type"] as? String)?.hasSuffix("not-found") == true)
            #expect(missing.headers.first(name: .contentLanguage) == "es")

            let refused = try await app.call(.POST, "/api/v1/organisations", token: f.admin, json: ["name": "  "],
                                             headers: [("Accept-Language", "de")])
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            let fields = refused.json["errors"] as? [[String: Any]] ?? refused.json["field_errors"] as? [[String: Any]] ?? []
            #expect(fields.first?["field"] as? String == "name", "\(refused.text)")
            #expect(refused.headers.first(name: .contentLanguage) == "de" && refused.json["title"] as? String != "Invalid request", "\(refused.text)")
            #expect(fields.first?["message"] as? String == "darf nicht leer sein" && refused.json["detail"] as? String == "Das Feld „name“ darf nicht leer sein.",
                    "\(refused.text)")

            for asked in [nil, "en-GB", "xx"] {
                let english = try await app.call(.GET, "/api/v1/cases/CB-99999", token: f.agent, headers: asked.map { [("Accept-Language", $0)] } ?? [])
                #expect(english.json["detail"] as? String == "Case CB-99999 was not found.", "\(asked ?? "none"): \(english.text)")
                #expect(english.headers.first(name: .contentLanguage) == nil)
            }
        }
    }
}
