@testable import CasebookServer
import Foundation
import Testing

@Suite("Templates hold no words of their own")
struct TemplateTextTests {
    /// Words a template may write as they are: the product's name, a file format and keyboard keys.
    static let allowed: Set<String> = ["Casebook", "· Casebook", "CSV", "o / Enter"]

    /// The text between tags and the text of labelling attributes, once Leaf's own tags and expressions are removed.
    static func literals(in template: String) -> [String] {
        var source = template
        for pattern in [#"#\w*\((?:[^()]|\([^()]*\))*\)"#, #"#(?:if|elseif|for|extend|export|import|unless)\((?:[^()]|\([^()]*\))*\):?"#,
                        #"#(?:else|endif|endfor|endextend|endexport|endunless):?"#, #"(?s)<script.*?</script>"#, #"(?s)<style.*?</style>"#] {
            source = source.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        let words = try! NSRegularExpression(pattern: "[A-Za-z]{2,}")
        func hasWords(_ text: String) -> Bool { words.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
        var found: [String] = []
        for pattern in [#">([^<>]*)<"#, #"(?:placeholder|aria-label|title|alt)="([^"]*)""#] {
            let regex = try! NSRegularExpression(pattern: pattern)
            for match in regex.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                guard let range = Range(match.range(at: 1), in: source) else { continue }
                let text = source[range].trimmingCharacters(in: .whitespacesAndNewlines)
                // A lone lower-case token is a key or a value typed as it is (error_code, yes), not words.
                let token = text.range(of: "^[a-z_]+$", options: .regularExpression) != nil
                if hasWords(text), !token, !allowed.contains(text) { found.append(text) }
            }
        }
        return found
    }

    @Test("every word a page shows comes from the catalogs, so each language reads it in its own")
    func noLiteralText() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CasebookServer/Resources/Views")
        let files = try FileManager.default.contentsOfDirectory(at: views, includingPropertiesForKeys: nil).filter { $0.pathExtension == "leaf" }
        #expect(files.count > 20)
        for file in files {
            let literal = Self.literals(in: try String(contentsOf: file, encoding: .utf8))
            #expect(literal.isEmpty, "\(file.lastPathComponent) writes words of its own: \(literal.prefix(5))")
        }
    }

    @Test("the check finds words between tags and in labelling attributes, and leaves Leaf's expressions alone")
    func finds() {
        #expect(Self.literals(in: #"<h1>Charts</h1><p>#(page.t.hint)</p>"#) == ["Charts"])
        #expect(Self.literals(in: ##"<input placeholder="Reporting script"><nav aria-label="#(page.t.crumbs)">"##) == ["Reporting script"])
        #expect(Self.literals(in: #"#if(x):<b>#(count(y))</b>#endif<title>Casebook</title><i>(#count(held))</i><input placeholder="error_code">"#).isEmpty)
    }
}
