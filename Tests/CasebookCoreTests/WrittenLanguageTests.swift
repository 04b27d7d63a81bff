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
