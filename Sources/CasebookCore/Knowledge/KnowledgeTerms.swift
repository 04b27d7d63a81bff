/// The weighted terms a knowledge article is found by, and the terms of what someone types.
///
/// Plain and explainable: lower-cased words without stop words, with a light English suffix
/// stemmer so "printing", "printer" and "prints" meet at "print". Title words weigh three times
/// body words; a word's weight in one article is capped so a long article cannot win by repetition.
public enum KnowledgeTerms {
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "then", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
        "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "i", "we", "you", "he", "she", "they", "my", "our",
        "your", "me", "us", "do", "does", "did", "not", "no", "can", "could", "will", "would", "should", "how", "what", "why", "when",
        "where", "which", "who", "there", "here", "have", "has", "had", "so", "up", "out", "about", "into", "after", "before", "again",
        "all", "any", "some", "get", "got", "please", "hi", "hello", "thanks", "el", "la", "los", "las", "de", "del", "y", "o", "en",
        "un", "una", "que", "por", "para", "con", "no", "se", "es", "mi", "su",
    ]

    /// Terms of a query or a case text, stemmed, without stop words, at most 32.
    public static func query(_ text: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for word in words(text) where seen.insert(word).inserted {
            result.append(word)
            if result.count == 32 { break }
        }
        return result
    }

    /// An article's terms and their weights.
    public static func index(title: String, body: String) -> [String: Double] {
        var weights: [String: Double] = [:]
        for word in words(title) { weights[word, default: 0] += 3 }
        for word in words(body) { weights[word, default: 0] += 1 }
        return weights.mapValues { min($0, 8) }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.compactMap { piece in
            let word = String(piece)
            guard word.count >= 2, word.count <= 40, !stopWords.contains(word) else { return nil }
            return stem(word)
        }
    }

    /// A light suffix stemmer: enough to join plural, -ing, -ed and -er forms of the same word.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy({ $0.isLetter }) else { return word }
        for suffix in ["ations", "ation", "ings", "ing", "ers", "er", "ies", "ed", "es", "s"] where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            var base = String(word.dropLast(suffix.count))
            if suffix == "ies" { base += "y" }
            // "jamming" → "jamm" → "jam": a doubled final consonant left by -ing or -ed.
            if let last = base.last, base.count >= 4, base.dropLast().last == last, !"aeiousl".contains(last) { base.removeLast() }
            return base
        }
        return word
    }
}
