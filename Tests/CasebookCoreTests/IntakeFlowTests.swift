import CasebookCore
import Foundation
import Testing

@Suite("Intake flows")
struct IntakeFlowTests {
    /// A printer flow that branches: the error-code question appears only when the printer shows an error.
    let flow = IntakeFlow(questions: [
        IntakeQuestion(key: "company", label: "Company", why: "So we know whose contract applies.", kind: .text, required: true, prefill: .organisation),
        IntakeQuestion(key: "version", label: "Firmware version", why: "Fixes differ per version.", kind: .productVersion, required: true, prefill: .productVersion),
        IntakeQuestion(key: "shows_error", label: "Does the panel show an error?", why: "An error code points to the part.", kind: .yesNo, required: true),
        IntakeQuestion(key: "error_code", label: "Error code", why: "Each code names a failing part.", kind: .choice, required: true,
                       options: ["E01", "E02", "other"], condition: IntakeCondition(questionKey: "shows_error", equalsAny: ["yes"])),
        IntakeQuestion(key: "pages", label: "Pages a day", why: "Heavy use wears rollers sooner.", kind: .number),
        IntakeQuestion(key: "since", label: "Since when?", why: "Lines it up with changes on your side.", kind: .date),
        IntakeQuestion(key: "tried", label: "What have you tried?", why: "So we do not ask you to repeat it.", kind: .text, alreadyTried: true),
    ])

    @Test("a well-formed flow has no problems")
    func valid() {
        #expect(flow.problems().isEmpty)
    }

    @Test("every broken definition is named by its question")
    func invalidDefinitions() {
        let broken = IntakeFlow(questions: [
            IntakeQuestion(key: "Bad Key", label: "x", why: "y", kind: .text),
            IntakeQuestion(key: "a", label: "", why: "y", kind: .text),
            IntakeQuestion(key: "a", label: "again", why: "", kind: .text),
            IntakeQuestion(key: "c", label: "Pick", why: "y", kind: .choice, options: ["one"]),
            IntakeQuestion(key: "d", label: "Later", why: "y", kind: .text, condition: IntakeCondition(questionKey: "z", equalsAny: ["1"])),
            IntakeQuestion(key: "e", label: "Cond", why: "y", kind: .text, condition: IntakeCondition(questionKey: "c", equalsAny: ["two"])),
            IntakeQuestion(key: "f", label: "Org", why: "y", kind: .number, prefill: .organisation),
            IntakeQuestion(key: "g", label: "Opts", why: "y", kind: .text, options: ["x"]),
        ])
        let problems = broken.problems()
        let keys = Set(problems.map(\.key))
        #expect(keys == ["Bad Key", "a", "c", "d", "e", "f", "g"])
        #expect(problems.contains(IntakeError("a", "key is used twice")))
        #expect(problems.contains(IntakeError("a", "every question says why we ask it")))
        #expect(problems.contains { $0.key == "d" && $0.reason.contains("earlier question") })
        #expect(problems.contains { $0.key == "e" && $0.reason.contains("'two'") })
    }

    @Test("a conditional question shows only when its condition is met")
    func branching() {
        #expect(!flow.visibleQuestions(answers: [:]).map(\.key).contains("error_code"))
        #expect(flow.visibleQuestions(answers: ["shows_error": .yesNo(true)]).map(\.key).contains("error_code"))
        #expect(!flow.visibleQuestions(answers: ["shows_error": .yesNo(false)]).map(\.key).contains("error_code"))
    }

    @Test("a required branch question is demanded only when shown, and its answer is dropped when hidden")
    func branchRequired() {
        let versions = ["v42": "Printer 4.2"]
        let shown = flow.evaluate(raw: ["company": "Acme", "version": "v42", "shows_error": "yes"], versionLabel: { versions[$0] })
        #expect(shown.errors == [IntakeError("error_code", "is required", kind: .required)])
        let hidden = flow.evaluate(raw: ["company": "Acme", "version": "v42", "shows_error": "no", "error_code": "E01"], versionLabel: { versions[$0] })
        #expect(hidden.errors.isEmpty)
        #expect(hidden.answers["error_code"] == nil)
        #expect(hidden.answers["shows_error"] == .yesNo(false))
    }

    @Test("facts on record answer prefilled questions and are not asked again")
    func prefill() {
        let known = IntakeKnownFacts(organisation: "Acme Ltd", productVersion: (id: "v42", label: "Printer 4.2"))
        let outcome = flow.evaluate(raw: ["shows_error": "yes", "error_code": "E02", "company": "Ignored Inc"], known: known)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.prefilled == ["company", "version"])
        #expect(outcome.answers["company"] == .text("Acme Ltd"))
        #expect(outcome.answers["version"] == .productVersion(id: "v42", label: "Printer 4.2"))
    }

    @Test("the version on record can be corrected by the customer; the same version stays 'on record'; the organisation cannot be")
    func correctedVersion() {
        let known = IntakeKnownFacts(organisation: "Acme Ltd", productVersion: (id: "v42", label: "Printer 4.2"))
        let labels = ["v42": "Printer 4.2", "v50": "Printer 5.0"]
        let corrected = flow.evaluate(raw: ["shows_error": "no", "version": "v50", "company": "Other Inc"], known: known, versionLabel: { labels[$0] })
        #expect(corrected.errors.isEmpty)
        #expect(corrected.answers["version"] == .productVersion(id: "v50", label: "Printer 5.0") && !corrected.prefilled.contains("version"))
        #expect(corrected.answers["company"] == .text("Acme Ltd") && corrected.prefilled.contains("company"))
        let kept = flow.evaluate(raw: ["shows_error": "no", "version": "V42"], known: known, versionLabel: { labels[$0] })
        #expect(kept.prefilled.contains("version") && kept.answers["version"] == .productVersion(id: "v42", label: "Printer 4.2"))
        let unknown = flow.evaluate(raw: ["shows_error": "no", "version": "v99"], known: known, versionLabel: { labels[$0] })
        #expect(unknown.errors.map(\.key) == ["version"], "a correction must name a real version")
    }

    @Test("answers are checked by kind and unknown questions refused")
    func answerKinds() {
        let outcome = flow.evaluate(raw: ["company": "Acme", "version": "nope", "shows_error": "maybe", "pages": "lots",
                                          "since": "2026-02-30", "colour": "red"], versionLabel: { _ in nil })
        let byKey = Dictionary(outcome.errors.map { ($0.key, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["version"] == "names no known product version")
        #expect(byKey["shows_error"] == "must be yes or no")
        #expect(byKey["pages"] == "must be a number")
        #expect(byKey["since"] == "must be a date as YYYY-MM-DD")
        #expect(byKey["colour"] == "is not a question of this flow")
        let good = flow.evaluate(raw: ["company": "Acme", "version": "v1", "shows_error": "no", "pages": "250", "since": "2026-03-01"],
                                 versionLabel: { _ in "P 1" })
        #expect(good.answers["pages"] == .number(250))
        #expect(good.answers["pages"]?.display == "250")
        #expect(good.answers["since"]?.display == "2026-03-01")
    }

    @Test("answers survive a JSON round trip with their kinds")
    func answerCoding() throws {
        let answers: [String: IntakeAnswer] = ["a": .text("x"), "b": .yesNo(true), "c": .number(2.5), "d": .date(LocalDate(year: 2026, month: 1, day: 2)!),
                                               "e": .choice("E01"), "f": .file("log.txt"), "g": .productVersion(id: "v", label: "P 1")]
        let data = try JSONEncoder().encode(answers)
        #expect(try JSONDecoder().decode([String: IntakeAnswer].self, from: data) == answers)
        let flowData = try JSONEncoder().encode(flow)
        #expect(try JSONDecoder().decode(IntakeFlow.self, from: flowData) == flow)
    }
}

@Suite("Canned-response placeholders and language choice")
struct PlaceholderAndLanguageTests {
    @Test("placeholders are filled; a missing value becomes empty")
    func render() {
        let text = "Hello {{ customer.first_name }}, about {{case.reference}} ({{organisation.name}}): — {{agent.name}}"
        #expect(PlaceholderTemplate.problems(text).isEmpty)
        #expect(PlaceholderTemplate.render(text, values: ["customer.first_name": "Carla", "case.reference": "CB-7", "agent.name": "Ann"])
                == "Hello Carla, about CB-7 (): — Ann")
    }

    @Test("unknown and unclosed placeholders are reported")
    func problems() {
        #expect(PlaceholderTemplate.problems("Hi {{customer.shoe_size}}") == ["unknown placeholder {{customer.shoe_size}}"])
        #expect(PlaceholderTemplate.problems("Hi {{customer.name") == ["a placeholder is opened with {{ but never closed"])
        #expect(PlaceholderTemplate.render("Hi {{customer.name", values: [:]) == "Hi {{customer.name")
    }

    @Test("the profile's language wins, then Accept-Language by weight")
    func language() {
        let supported = ["en", "es"]
        #expect(LanguagePreference.pick(preferred: "es", acceptLanguage: "en", supported: supported) == "es")
        #expect(LanguagePreference.pick(preferred: nil, acceptLanguage: "fr;q=0.9, es-MX;q=0.8, en;q=0.1", supported: supported) == "es")
        #expect(LanguagePreference.pick(preferred: "de", acceptLanguage: "es;q=0, en-GB", supported: supported) == "en")
        #expect(LanguagePreference.pick(preferred: nil, acceptLanguage: "fr", supported: supported) == "en")
    }
}
