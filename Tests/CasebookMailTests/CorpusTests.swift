import CasebookMail
import Foundation
import Testing

/// Every message in `Corpus/` parses to the JSON beside it (made by scripts/make-mail-corpus.py).
@Suite("Message corpus")
struct CorpusTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Corpus")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test("the corpus holds at least 80 messages")
    func size() {
        #expect(Self.names.count >= 80)
    }

    @Test("each message parses to its expected JSON", arguments: names)
    func parses(name: String) throws {
        let raw = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".eml"))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent(name + ".json"))) as? [String: Any] ?? [:]
        let actual = try JSONSerialization.jsonObject(with: MailSummary(MailParser.parse(raw)).json()) as? [String: Any] ?? [:]
        #expect(Set(actual.keys) == ["from", "from_address", "to", "cc", "subject", "message_id", "in_reply_to", "references",
                                     "date", "text", "html", "attachments"])
        for key in expected.keys.sorted() {
            let want = expected[key].map { Self.render($0) } ?? "null"
            let got = actual[key].map { Self.render($0) } ?? "null"
            #expect(got == want, "\(key)")
        }
    }

    static func render(_ value: Any) -> String {
        if value is NSNull { return "null" }
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
