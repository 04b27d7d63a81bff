@testable import CasebookCore
import Testing

@Suite("Knowledge search terms")
struct KnowledgeTermsTests {
    @Test("stems join word forms; stop words go; titles weigh more; repetition is capped")
    func terms() {
        #expect(KnowledgeTerms.stem("printing") == "print" && KnowledgeTerms.stem("printers") == "print" && KnowledgeTerms.stem("prints") == "print")
        #expect(KnowledgeTerms.stem("jamming") == "jam" && KnowledgeTerms.stem("batteries") == "battery" && KnowledgeTerms.stem("vpn") == "vpn")
        #expect(KnowledgeTerms.query("How do I reset the printer? The printer keeps jamming") == ["reset", "print", "keep", "jam"])
        let weights = KnowledgeTerms.index(title: "Printer jams", body: String(repeating: "printer ", count: 20) + "tray")
        #expect(weights["print"] == 8 && weights["jam"] == 3 && weights["tray"] == 1)
    }
}
