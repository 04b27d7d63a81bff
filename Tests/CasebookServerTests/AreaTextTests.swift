@testable import CasebookServer
import CasebookCore
import Foundation
import Testing

@Suite("The area pages' words in every language")
struct AreaTextTests {
    /// Every English text of the area pages: the areas, the sections and the report pages' cards.
    static var englishTexts: [String] {
        var texts = AreaCatalog.all.flatMap(\.texts)
        texts += PageSection.allCases.flatMap { [$0.title, $0.intro] }
        texts += ReportPages.cards.flatMap { [$0.title, $0.intro] }
        texts += AdminController.pages.flatMap { [$0.title, $0.intro] } + ["Administration", "Area", "What it holds"]
        texts += writtenInPlace(under: "Sources/CasebookServer/Features/Web/Admin")
        texts += ReportWords.texts + IntakeEditorPage.prefillChoices.map(\.1) + ["— ask it"]
        texts += IntakeQuestionKind.allCases.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }
        return Array(Set(texts)).sorted()
    }

    /// The English texts pages pass to `AreaText` where they are written (`t("Add a group")`), read from the sources.
    static func writtenInPlace(under folder: String) -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let call = try! NSRegularExpression(pattern: #"(?<![.\w])(?:t|text|AreaText\(req\))\("((?:[^"\\]|\\.)*)""#)
        var texts: [String] = []
        let files = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", let source = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for match in call.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                guard let range = Range(match.range(at: 1), in: source) else { continue }
                texts.append(String(source[range]).replacingOccurrences(of: #"\""#, with: "\""))
            }
        }
        return texts
    }

    /// Every member name the API answers with, whose labels area pages show.
    static var memberNames: [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CasebookServer/Resources/openapi.json")
        return (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) }.map(Self.properties).map { Array($0).sorted() } ?? []
    }

    private static func properties(_ json: Any) -> Set<String> {
        var names = Set<String>()
        if let object = json as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] { names.formUnion(properties.keys) }
            for value in object.values { names.formUnion(properties(value)) }
        } else if let list = json as? [Any] {
            for value in list { names.formUnion(properties(value)) }
        }
        return names
    }

    @Test("every text of every area has a catalog entry in each language, under a key no other text shares")
    func complete() throws {
        let catalogs = try WebText.load().catalogs
        let texts = Self.englishTexts
        #expect(texts.count > 500, "the areas are found: \(texts.count)")
        let keys = Dictionary(grouping: texts, by: AreaText.key)
        #expect(keys.values.allSatisfy { $0.count == 1 }, "texts sharing a key: \(keys.values.filter { $0.count > 1 })")
        var missing: [String: [String]] = [:]
        for language in WebText.languages {
            missing[language] = texts.filter { catalogs[language]?[AreaText.key($0)] == nil }
        }
        if missing.values.contains(where: { !$0.isEmpty }) {
            let list = try JSONSerialization.data(withJSONObject: missing, options: [.prettyPrinted, .sortedKeys])
            try? list.write(to: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("area-texts-missing.json"))
        }
        for language in WebText.languages {
            #expect(missing[language]?.isEmpty == true, "\(language) lacks \(missing[language]?.count ?? 0) area texts, e.g. \(missing[language]?.prefix(5) ?? [])")
        }
        let english = try #require(catalogs["en"])
        for text in texts { #expect(english[AreaText.key(text)] == text, "the English entry reads as the definition: \(text)") }
        let stale = english.keys.filter { $0.hasPrefix("area_") && $0.count > 13 && $0.dropFirst(5).contains("_") }
            .filter { key in key.range(of: "_[0-9a-f]{8}$", options: .regularExpression) != nil && !keys.keys.contains(key) }
        #expect(stale.isEmpty, "entries for texts no area has any more: \(stale.sorted().prefix(10))")
    }

    @Test("every member the API answers with has a label in each language")
    func labels() throws {
        let catalogs = try WebText.load().catalogs
        let names = Self.memberNames
        #expect(names.count > 300, "the API's members are found: \(names.count)")
        for language in WebText.languages {
            let missing = names.filter { catalogs[language]?[AreaText.labelKey($0)] == nil }
            #expect(missing.isEmpty, "\(language) lacks labels for \(missing.prefix(10))")
        }
    }

    @Test("an area reads in the reader's language; keys, paths and placeholders stay as written")
    func localised() throws {
        let text = AreaText(strings: try WebText.load().strings("es"))
        let policies = ServiceLevelAreas.policies.localised(text)
        #expect(policies.title != ServiceLevelAreas.policies.title && policies.title == text(ServiceLevelAreas.policies.title))
        #expect(policies.api == ServiceLevelAreas.policies.api && policies.columns.map(\.key) == ServiceLevelAreas.policies.columns.map(\.key))
        #expect(policies.create?.fields.map(\.key) == ServiceLevelAreas.policies.create?.fields.map(\.key))
        #expect(text("A text no area has") == "A text no area has")
        #expect(text.label("created_at") != "Created at")
        #expect(AreaText.key("Add a policy") != AreaText.key("Add a policy."))
        #expect(text.value(.bool(true)) == "sí" && text.value(.string("pending_vendor")) == "pendiente del proveedor"
                && text.value(.string("known_error")) == "error conocido")
        #expect(AreaText.isToken("pending_vendor") && !AreaText.isToken("") && !AreaText.isToken("_x") && !AreaText.isToken("a__b")
                && !AreaText.isToken("Open") && !AreaText.isToken("é") && !AreaText.isToken(String(repeating: "a", count: 41)))
        #expect(text.value(.string("Acme")) == "Acme" && text.value(.string("some_unknown_token")) == "some unknown token" && text.value(.number(2.5)) == "2.5")
    }

    @Test("a German admin reads the admin, area and chart pages in German; a report's CSV opens in a German spreadsheet",
          arguments: TestDatabase.all)
    func pagesInGerman(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let people = try await app.call(.GET, "/api/v1/users?q=admin@cb.example", token: f.admin).list
            let adminID = try #require(people.first { $0["email"] as? String == "admin@cb.example" }?["id"] as? String)
            #expect(try await app.call(.PATCH, "/api/v1/users/\(adminID)", token: f.admin, json: ["language": "de"]).status == .ok)
            var admin = try await BrowserSession.signIn(app, email: "admin@cb.example", password: "admin-password")

            let index = try await admin.get(app, "/admin")
            #expect(index.text.contains(#"<html lang="de">"#) && index.text.contains("Service-Level-Richtlinien") && index.text.contains("Gruppen und Stufen"),
                    "\(index.text)")
            let policies = try await admin.get(app, "/admin/sla-policies")
            #expect(policies.status == .ok && policies.text.contains("Richtlinie hinzufügen") && policies.text.contains("Hoch: erste Antwort (Minuten)")
                    && !policies.text.contains("Add a policy"), "\(policies.text)")
            let groups = try await admin.get(app, "/admin/groups")
            #expect(groups.text.contains("Gruppe hinzufügen") && groups.text.contains("Für neue Fälle angeboten"), "\(groups.text)")
            let refused = try await admin.post(app, "/admin/sla-policies", ["name": "", "kind": "formal"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Richtlinie hinzufügen"), "a refused form comes back in German")

            let charts = try await admin.get(app, "/reports/charts")
            #expect(charts.text.contains("Diagramme") && charts.text.contains("language=de") && charts.text.contains("Eröffnete Fälle"), "\(charts.text)")
            let csv = try await app.call(.GET, "/api/v1/reports/satisfaction-trend?format=csv&language=de", token: f.admin)
            #expect(csv.status == .ok && csv.text.hasPrefix("Bezeichnung;Wert\r\n"), "\(csv.text)")
            _ = try await f.openCase(app)
            let svg = try await app.call(.GET, "/api/v1/reports/backlog?format=svg&language=fr", token: f.admin)
            #expect(svg.text.contains("Stock en attente par ancienneté") && svg.text.contains("&lt; 1 jour"), "\(svg.text.prefix(600))")
            let empty = try await app.call(.GET, "/api/v1/reports/satisfaction-trend?format=svg&language=es", token: f.admin)
            #expect(empty.text.contains("Sin datos"), "\(empty.text.suffix(300))")
            let bad = try await app.call(.GET, "/api/v1/reports/volume?language=xx", token: f.admin)
            #expect(bad.status == .badRequest && bad.isProblem)
            #expect(try await app.call(.GET, "/api/v1/reports/volume?format=csv", token: f.admin).text.hasPrefix("label,value\r\n"),
                    "English stays as it was for scripts")
        }
    }

    @Test("a report's figures use the reader's decimal mark, and a field holding the separator is quoted")
    func csvConvention() {
        let german = ReportWords(language: "de", strings: ["label_label": "Bezeichnung", "label_value": "Wert"])
        #expect(german.csv([.init("a;b", 2.5)]) == "Bezeichnung;Wert\r\n\"a;b\";2,5\r\n")
        let english = ReportWords(language: "en", strings: [:])
        #expect(english.csv([.init("a,b", 2.5)]) == "label,value\r\n\"a,b\",2.5\r\n")
    }
}
