/// One language's words and phrases that signal a tone, with weights, and the words that turn them around.
///
/// Phrases are matched on lower-cased word sequences, longest first, so "thank you" counts once
/// and "not working" is one phrase rather than a negated "working". Words that only describe a
/// fault ("failed", "error", "down") are kept apart: a calm technical report is full of them and is
/// not frustrated, so together they count for at most one point.
public struct ToneLexicon: Sendable {
    public let language: WrittenLanguage
    public let entries: [String: (tone: Tone, weight: Double)]
    /// Fault words: evidence of a problem, not of a feeling.
    public let faults: Set<String>
    /// Words that, up to three words before another, negate it ("not", "no", "nicht", "pas").
    public let negations: Set<String>
    /// Words that raise the weight of the word after them by half ("very", "muy", "très", "sehr").
    public let intensifiers: Set<String>
    /// Phrases that look negative but are not ("no problem", "no worries").
    public let reassurances: [[String]]
    /// Politeness formulas that carry no feeling ("thanks in advance", "merci d'avance"): read, and not counted.
    public let courtesies: [[String]]
    /// Words a calm, factual report carries: greetings, sign-offs, "attached", "log".
    public let calm: Set<String>
    /// Ordinary words people capitalise to shout; acronyms (VPN, DNS) are not among them.
    public let emphatic: Set<String>
    /// Inflection endings tried when a single word is not listed as written ("katastrophales" → "katastrophal").
    public let endings: [String]
    /// The longest phrase, in words.
    public let longest: Int

    /// The lexicon for each language Casebook reads.
    public static let standard: [WrittenLanguage: ToneLexicon] = [
        .english: english, .spanish: spanish, .french: french, .german: german,
    ]

    /// Collects a language's phrases; each phrase is split into words the way messages are, so
    /// "n'arrive pas" in the French list matches "n'arrive pas" in a message.
    struct Builder {
        let language: WrittenLanguage
        var entries: [String: (tone: Tone, weight: Double)] = [:]
        var faults: Set<String> = []

        init(_ language: WrittenLanguage) { self.language = language }

        mutating func add(_ tone: Tone, _ weight: Double, _ words: String) {
            for phrase in Self.phrases(words, language) { entries[phrase] = (tone, weight) }
        }

        mutating func fault(_ words: String) {
            for phrase in Self.phrases(words, language) { faults.insert(phrase) }
        }

        func lexicon(negations: String, intensifiers: String, reassurances: String, courtesies: String, calm: String, emphatic: String,
                     endings: [String] = []) -> ToneLexicon {
            let all = entries.keys.map { $0.split(separator: " ").count } + faults.map { $0.split(separator: " ").count }
            return ToneLexicon(language: language, entries: entries, faults: faults,
                               negations: Set(Self.phrases(negations, language)), intensifiers: Set(Self.phrases(intensifiers, language)),
                               reassurances: Self.phrases(reassurances, language).map { $0.split(separator: " ").map(String.init) },
                               courtesies: Self.phrases(courtesies, language).map { $0.split(separator: " ").map(String.init) },
                               calm: Set(Self.phrases(calm, language)), emphatic: Set(Self.phrases(emphatic, language)),
                               endings: endings, longest: all.max() ?? 1)
        }

        static func phrases(_ list: String, _ language: WrittenLanguage) -> [String] {
            list.split(separator: ",").map { ToneClassifier.words(String($0), language).joined(separator: " ") }.filter { !$0.isEmpty }
        }
    }
}
