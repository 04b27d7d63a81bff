@testable import CasebookCore
import Foundation
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

@Suite("Similar cases")
struct CaseSimilarityTests {
    @Test("the same words score high, catalogue matches add, unrelated cases stay below the threshold")
    func similarity() {
        let product = ProductID(UUID())
        let version = ProductVersionID(UUID())
        let a = CaseSimilarity.Facts(subject: "Scanner crashes on export", description: "The scanner app crashes when exporting to PDF",
                                     productID: product, productVersionID: version, categoryID: nil)
        let b = CaseSimilarity.Facts(subject: "Export crashes the scanner", description: "Exporting a PDF makes the scanner crash",
                                     productID: product, productVersionID: version, categoryID: nil)
        let c = CaseSimilarity.Facts(subject: "Password reset", description: "Please reset my password",
                                     productID: nil, productVersionID: nil, categoryID: nil)
        let close = CaseSimilarity.score(a, b)
        #expect(close.value >= 0.7 && close.reasons.contains("same version"))
        #expect(CaseSimilarity.score(a, c).value < CaseSimilarity.threshold)
        let otherVersion = CaseSimilarity.Facts(subject: "Export crashes the scanner", description: "Exporting a PDF makes the scanner crash",
                                                productID: product, productVersionID: ProductVersionID(UUID()), categoryID: nil)
        #expect(CaseSimilarity.score(a, otherVersion).value < close.value)
    }
}
