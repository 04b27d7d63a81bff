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
}
