/// How alike two cases are, for spotting repeated problems: shared words, then the same product, version and category.
///
/// Text is cosine similarity of the cases' stemmed terms (subject counted twice); the catalogue
/// bonuses make "same words, same version" outrank "same words, another product".
public enum CaseSimilarity {
    /// The facts compared.
    public struct Facts: Sendable, Equatable {
        public let text: String
        public let productID: ProductID?
        public let productVersionID: ProductVersionID?
        public let categoryID: CategoryID?

        public init(subject: String, description: String, productID: ProductID?, productVersionID: ProductVersionID?, categoryID: CategoryID?) {
            text = subject + " " + subject + " " + description
            self.productID = productID
            self.productVersionID = productVersionID
            self.categoryID = categoryID
        }
    }

    /// A score from 0 to 1 and the reasons behind it.
    public struct Score: Sendable, Equatable {
        public let value: Double
        public let reasons: [String]
    }

    /// Scores at or above this are shown as similar.
    public static let threshold = 0.35

    public static func score(_ a: Facts, _ b: Facts) -> Score {
        let text = cosine(counts(KnowledgeTerms.words(a.text)), counts(KnowledgeTerms.words(b.text)))
        var value = 0.7 * text
        var reasons = ["text \(Int((text * 100).rounded()))%"]
        if let product = a.productID, product == b.productID {
            value += 0.1
            reasons.append("same product")
        }
        if let version = a.productVersionID, version == b.productVersionID {
            value += 0.1
            reasons.append("same version")
        }
        if let category = a.categoryID, category == b.categoryID {
            value += 0.1
            reasons.append("same category")
        }
        return Score(value: (min(1, value) * 1000).rounded() / 1000, reasons: reasons)
    }

    static func counts(_ words: [String]) -> [String: Double] {
        words.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let dot = a.reduce(0.0) { $0 + $1.value * (b[$1.key] ?? 0) }
        let norms = (a.values.reduce(0) { $0 + $1 * $1 }).squareRoot() * (b.values.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return norms == 0 ? 0 : dot / norms
    }
}
