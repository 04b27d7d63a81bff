/// Splits what a person typed into search terms that are safe to hand to any full-text engine.
public enum SearchTerms {
    /// Lower-cased runs of letters and digits, at most 16 terms of at most 64 characters each.
    public static func terms(from query: String) -> [String] {
        var terms: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty, terms.count < 16 { terms.append(String(current.prefix(64))) }
            current = ""
        }
        for character in query.lowercased() {
            if character.isLetter || character.isNumber { current.append(character) } else { flush() }
        }
        flush()
        return terms
    }

    /// Whether a term matches whole words only rather than every word it begins: one or two Latin letters or digits
    /// ("7", "hp", "os") begin thousands of unrelated words and numbers, so as prefixes they find noise, and slowly.
    /// Longer terms, and short ones in other scripts (which the index may not split into words), stay prefixes.
    public static func isWholeWord(_ term: String) -> Bool {
        term.count < 3 && term.unicodeScalars.allSatisfy(\.isASCII)
    }
}
