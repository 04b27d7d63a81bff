@testable import CasebookCore
import Foundation
import Testing

@Suite("Translated admin content")
struct ContentTranslationCoreTests {
    let item = UUID()

    func translation(_ text: String, from source: String, language: String = "es") -> ContentTranslation {
        ContentTranslation(kind: .category, itemID: item, field: "name", language: language, text: text, source: source)
    }

    @Test("a current translation is shown; a missing or outdated one falls back to the original, saying so")
    func fallback() {
        let texts = TranslatedTexts(language: "es", contentLanguage: "en", translations: [translation("Impresión", from: "Printing")])
        #expect(texts.text(.category, item, "name", source: "Printing") == .init(text: "Impresión", language: "es", fellBack: false))
        #expect(texts.text(.category, item, "name", source: "Printing and scanning") == .init(text: "Printing and scanning", language: "en", fellBack: true))
        #expect(texts.text(.category, item, "description", source: "Printers") == .init(text: "Printers", language: "en", fellBack: true))
        #expect(texts.text(.intake, item, "name", source: "Printing").fellBack, "another kind is another text")
    }

    @Test("a reader of the content language reads the original, never a translation into another language")
    func contentLanguage() {
        let english = TranslatedTexts(language: "en", contentLanguage: "en", translations: [translation("Impresión", from: "Printing")])
        #expect(english.text(.category, item, "name", source: "Printing") == .init(text: "Printing", language: "en", fellBack: false))
        let french = TranslatedTexts(language: "fr", contentLanguage: "en", translations: [translation("Impresión", from: "Printing")])
        #expect(french.text(.category, item, "name", source: "Printing").text == "Printing")
    }

    @Test("states, checks and an intake question's fields")
    func statesAndFields() throws {
        #expect(TranslationState(nil, source: "a") == .missing)
        #expect(TranslationState(translation("b", from: "a"), source: "a") == .current)
        #expect(TranslationState(translation("b", from: "a"), source: "c") == .outdated)
        #expect(try ContentTranslation.checked("  Hola \n") == "Hola")
        #expect(throws: TranslationError.empty) { try ContentTranslation.checked(" \n ") }
        #expect(throws: TranslationError.tooLong) { try ContentTranslation.checked(String(repeating: "a", count: 10_001)) }
        let question = IntakeQuestion(key: "code", label: "Code", why: "Names the part.", kind: .choice, options: ["E01", "E02"])
        #expect(TranslatableText.intakeFields(of: question).map(\.field) == ["code.label", "code.why", "code.option.0", "code.option.1"])
    }

    @Test("an answer's fault is named by kind for the page to word; a decimal comma is a number")
    func intakeFaults() throws {
        let code = IntakeQuestion(key: "code", label: "Code", why: "Names the part.", kind: .choice, options: ["E01", "E02"])
        #expect(code.parse("E09").failure?.kind == .notAnOption)
        let when = IntakeQuestion(key: "when", label: "When", why: "Orders events.", kind: .date)
        #expect(when.parse("yesterday").failure?.kind == .notADate)
        #expect(IntakeError("x", "a flow-definition fault").kind == .other)
        let flow = IntakeFlow(questions: [IntakeQuestion(key: "serial", label: "Serial", why: "Finds the unit.", kind: .text, required: true)])
        #expect(flow.evaluate(raw: [:]).errors.map(\.kind) == [.required])
        let weight = IntakeQuestion(key: "weight", label: "Weight", why: "Shipping.", kind: .number)
        #expect(try weight.parse("3,5").get() == .number(3.5))
        #expect(try weight.parse("1.5").get() == .number(1.5))
        #expect((try? weight.parse("1,2,3").get()) == nil)
        #expect(weight.parse("lots").failure?.kind == .notANumber)
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
