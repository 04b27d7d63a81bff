import CasebookCore
import Testing

@Suite("Written language")
struct WrittenLanguageTests {
    @Test("plain support sentences are recognised in each language")
    func detects() {
        #expect(WrittenLanguage.detect("The printer on the second floor is not printing since this morning.") == .english)
        #expect(WrittenLanguage.detect("La impresora de la segunda planta no imprime desde esta mañana.") == .spanish)
        #expect(WrittenLanguage.detect("L'imprimante du deuxième étage n'imprime plus depuis ce matin.") == .french)
        #expect(WrittenLanguage.detect("Der Drucker im zweiten Stock druckt seit heute Morgen nicht.") == .german)
        #expect(WrittenLanguage.detect("¿Alguna novedad?") == .spanish)
    }

    @Test("a text with no clue, or two languages level, is not named")
    func unclear() {
        #expect(WrittenLanguage.detectIfClear("Perfecto, buen trabajo") == nil)
        #expect(WrittenLanguage.detectIfClear("0x80070005 E-204") == nil)
        #expect(WrittenLanguage.detect("0x80070005") == .english)
    }
}

@Suite("Plural categories")
struct PluralCategoryTests {
    @Test("CLDR's integer rules for English, Spanish, French and German")
    func categories() {
        #expect(PluralCategory.of(1, language: "en") == .one && PluralCategory.of(0, language: "en") == .other)
        #expect(PluralCategory.of(0, language: "fr") == .one && PluralCategory.of(1, language: "fr-CA") == .one)
        #expect(PluralCategory.of(2, language: "fr") == .other && PluralCategory.of(1_000_000, language: "fr") == .many)
        #expect(PluralCategory.of(1, language: "es") == .one && PluralCategory.of(0, language: "es") == .other)
        #expect(PluralCategory.of(2_000_000, language: "es") == .many && PluralCategory.of(1_000_000, language: "de") == .other)
        #expect(PluralCategory.of(1, language: "de") == .one && PluralCategory.of(-1, language: "de") == .one)
        #expect(PluralCategory.keys("cases", count: 1_000_000, language: "fr") == ["cases_many", "cases_other"])
        #expect(PluralCategory.keys("cases", count: 0, language: "fr") == ["cases_one", "cases_other"])
    }
}
