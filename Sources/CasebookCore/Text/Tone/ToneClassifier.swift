import Foundation

/// Classifies a customer's message as angry, frustrated, neutral or positive by lexicon and rules,
/// keeping every piece of evidence so an agent can see why.
///
/// The message is read in its own language (English, Spanish, French or German, detected from the
/// text), each with its own lexicon. Rules: a negation ("not", "no", "pas", "nicht", …) within three
/// words before a word turns a positive word into frustration and cancels a negative one; an
/// intensifier ("very", "muy", "très", "sehr", …) just before a word raises its weight by half; words in capitals shout (anger);
/// repeated exclamation marks are anger, repeated question marks frustration. Quoted text from
/// earlier mail is left out, since it is not what the customer is saying now.
public struct ToneClassifier: Sendable {
    public let lexicons: [WrittenLanguage: ToneLexicon]

    public init(lexicons: [WrittenLanguage: ToneLexicon] = ToneLexicon.standard) {
        self.lexicons = lexicons
    }

    /// Reads `text` in `language`, or in the language it is detected to be written in. A message too
    /// short to tell ("Perfecto, buen trabajo") is read in every language and the one that finds most
    /// evidence wins, English on a tie.
    public func classify(_ text: String, language: WrittenLanguage? = nil) -> ToneReading {
        let body = Self.withoutQuotes(text)
        if let language = language ?? WrittenLanguage.detectIfClear(body) { return read(body, in: language) }
        var best = read(body, in: .english)
        for language in WrittenLanguage.allCases where language != .english {
            let reading = read(body, in: language)
            if reading.strength > best.strength { best = reading }
        }
        return best
    }

    private func read(_ body: String, in language: WrittenLanguage) -> ToneReading {
        let lexicon = lexicons[language] ?? lexicons[.english] ?? ToneLexicon.english
        let (tokens, clauses) = Self.tokenize(body, language)
        let lower = tokens.map { $0.lowercased() }
        var evidence = Self.reassurances(lower, lexicon)
        let protected = Set(evidence.flatMap(\.positions))
        // A negation reaches three words back, within the same clause, and not from inside a reassurance.
        func negated(_ index: Int) -> Bool {
            (max(0, index - 3)..<index).contains { clauses[$0] == clauses[index] && !protected.contains($0) && lexicon.negations.contains(lower[$0]) }
        }
        var index = 0
        var faults: [String] = []
        while index < lower.count {
            guard !protected.contains(index), let match = Self.longestMatch(lower, at: index, in: lexicon) else {
                index += 1
                continue
            }
            let original = tokens[index..<(index + match.length)].joined(separator: " ")
            if let entry = match.entry {
                if let item = Self.weigh(entry, phrase: match.phrase, text: original, negated: negated(index),
                                         previous: index > 0 ? lower[index - 1] : nil, lexicon: lexicon) {
                    evidence.append(item)
                }
            } else if !negated(index) {
                faults.append(original)
            }
            index += match.length
        }
        var found = evidence.map(\.evidence)
        if !faults.isEmpty {
            // Describing the fault is not a feeling: all fault words together weigh at most one point.
            found.append(ToneEvidence(text: faults.prefix(4).joined(separator: ", "), tone: .frustrated,
                                      weight: min(1, 0.5 * Double(faults.count)), reason: "fault"))
        }
        let markers = Self.calmMarkers(tokens, lower, lexicon)
        if markers.count >= 2 {
            found.append(ToneEvidence(text: markers.prefix(4).joined(separator: ", "), tone: .neutral, weight: 0, reason: "calm"))
        }
        found += Self.shouting(tokens, emphatic: lexicon.emphatic)
        found += Self.punctuation(body)
        return decide(found, language: language)
    }

    private struct Found {
        let evidence: ToneEvidence
        var positions: [Int] = []
    }

    /// Reassurances count as mildly positive; courtesies are only set aside, so their "thanks" is not read as praise.
    private static func reassurances(_ lower: [String], _ lexicon: ToneLexicon) -> [Found] {
        occurrences(of: lexicon.courtesies, in: lower).map {
            Found(evidence: ToneEvidence(text: $0.text, tone: .neutral, weight: 0, reason: "courtesy"), positions: $0.positions)
        } + occurrences(of: lexicon.reassurances, in: lower).map {
            Found(evidence: ToneEvidence(text: $0.text, tone: .positive, weight: 1, reason: "lexicon"), positions: $0.positions)
        }
    }

    /// Where each phrase stands in the words, without overlapping itself.
    private static func occurrences(of phrases: [[String]], in lower: [String]) -> [(text: String, positions: [Int])] {
        var found: [(text: String, positions: [Int])] = []
        for words in phrases where !words.isEmpty {
            var i = 0
            while i + words.count <= lower.count {
                if lower[i..<(i + words.count)].elementsEqual(words) {
                    found.append((words.joined(separator: " "), Array(i..<(i + words.count))))
                    i += words.count
                } else {
                    i += 1
                }
            }
        }
        return found
    }

    /// The longest lexicon or fault phrase starting at `index`; `entry` is nil for a fault phrase.
    private static func longestMatch(_ lower: [String], at index: Int, in lexicon: ToneLexicon)
        -> (phrase: String, length: Int, entry: (tone: Tone, weight: Double)?)? {
        for length in stride(from: min(lexicon.longest, lower.count - index), through: 1, by: -1) {
            let phrase = lower[index..<(index + length)].joined(separator: " ")
            if let entry = lexicon.entries[phrase] { return (phrase, length, entry) }
            if lexicon.faults.contains(phrase) { return (phrase, length, nil) }
        }
        let word = lower[index]
        for ending in lexicon.endings where word.count > ending.count + 3 && word.hasSuffix(ending) {
            let stem = String(word.dropLast(ending.count))
            if let entry = lexicon.entries[stem] { return (stem, 1, entry) }
            if lexicon.faults.contains(stem) { return (stem, 1, nil) }
        }
        return nil
    }

    /// One lexicon match's evidence after negation and intensifiers; nil when a negation cancels it.
    private static func weigh(_ entry: (tone: Tone, weight: Double), phrase: String, text: String, negated: Bool,
                              previous: String?, lexicon: ToneLexicon) -> Found? {
        var tone = entry.tone
        var weight = entry.weight
        var reason = "lexicon"
        // "still not" and similar phrases carry their own negation; only look before the phrase.
        if negated, !phrase.contains(" ") || tone == .positive {
            if tone == .positive {
                tone = .frustrated
                weight = max(2, weight * 0.75)
                reason = "negated"
            } else if tone == .frustrated && weight <= 1 {
                return nil
            }
        }
        if reason == "lexicon", let previous, lexicon.intensifiers.contains(previous) {
            weight *= 1.5
            reason = "intensified"
        }
        return Found(evidence: ToneEvidence(text: text, tone: tone, weight: weight, reason: reason))
    }

    /// Shouting: a message mostly in capitals, or ordinary words written in capitals for emphasis.
    static func shouting(_ tokens: [String], emphatic emphaticWords: Set<String>) -> [ToneEvidence] {
        let words = tokens.filter { $0.count >= 2 && $0.contains(where: \.isLetter) }
        let capitals = words.filter { $0 == $0.uppercased() && $0 != $0.lowercased() }
        if words.count >= 3, capitals.filter({ $0.count >= 3 }).count >= 3, Double(capitals.count) / Double(words.count) >= 0.6 {
            let share = Double(capitals.count) / Double(words.count)
            return [ToneEvidence(text: capitals.prefix(5).joined(separator: " "), tone: .angry, weight: 2 + 2 * share, reason: "capitals")]
        }
        let emphatic = capitals.filter { $0.count >= 3 && emphaticWords.contains($0.lowercased()) }
        guard !emphatic.isEmpty else { return [] }
        return [ToneEvidence(text: emphatic.prefix(5).joined(separator: " "), tone: .angry, weight: min(3, 1.5 * Double(emphatic.count)),
                             reason: "capitals")]
    }

    static func punctuation(_ text: String) -> [ToneEvidence] {
        var evidence: [ToneEvidence] = []
        let exclamations = text.components(separatedBy: "!!").count - 1
        if exclamations > 0 { evidence.append(ToneEvidence(text: "!!", tone: .angry, weight: min(3, 1.5 + Double(exclamations) * 0.5), reason: "punctuation")) }
        let questions = text.components(separatedBy: "??").count - 1
        if questions > 0 { evidence.append(ToneEvidence(text: "??", tone: .frustrated, weight: min(3, 1.5 + Double(questions) * 0.5), reason: "punctuation")) }
        return evidence
    }

    /// What makes a message read as a factual report: a greeting or sign-off, a log or attachment,
    /// an error code or version ("0x80070005", "E1234", "500").
    static func calmMarkers(_ tokens: [String], _ lower: [String], _ lexicon: ToneLexicon) -> [String] {
        var markers: [String] = []
        for word in lower where lexicon.calm.contains(word) && !markers.contains(word) { markers.append(word) }
        if let code = tokens.first(where: isIdentifier) { markers.append(code) }
        return markers
    }

    static func isIdentifier(_ token: String) -> Bool {
        let digits = token.filter(\.isNumber).count
        return digits > 0 && (digits < token.count || digits >= 3)
    }

    /// Angry wins at a clear anger score, then frustration, then positive when it outweighs both; otherwise neutral.
    func decide(_ evidence: [ToneEvidence], language: WrittenLanguage) -> ToneReading {
        var scores: [Tone: Double] = [:]
        for item in evidence { scores[item.tone, default: 0] += item.weight }
        let angry = scores[.angry] ?? 0
        let frustrated = scores[.frustrated] ?? 0
        let positive = scores[.positive] ?? 0
        // A fault report signed off with a plain "thanks" is a request, not praise.
        let reportsFault = evidence.contains { $0.reason == "fault" }
        // A calm, detailed report with some repetition in it ("failed again") is still a report.
        let calmReport = evidence.contains { $0.reason == "calm" } && angry == 0 && frustrated < 3
        let tone: Tone
        if angry >= 3 && angry >= positive {
            tone = .angry
        } else if frustrated + angry >= 2 && frustrated + angry > positive && !calmReport {
            tone = angry >= 2 && angry >= frustrated ? .angry : .frustrated
        } else if positive >= 2 && positive > frustrated + angry && !(reportsFault && positive <= 2) {
            tone = .positive
        } else {
            tone = .neutral
        }
        var named: [String: Double] = [:]
        for item in Tone.allCases { named[item.rawValue] = ((scores[item] ?? 0) * 100).rounded() / 100 }
        return ToneReading(tone: tone, scores: named, evidence: evidence.filter { $0.tone != .neutral || $0.reason == "calm" },
                           language: language)
    }

    /// Words with their apostrophes, punctuation split off; in French an elided article or pronoun
    /// ("l'", "n'", "qu'") becomes its own word, so "n'arrive pas" reads as "ne arrive pas".
    static func words(_ text: String, _ language: WrittenLanguage) -> [String] {
        tokenize(text, language).words.map { $0.lowercased() }
    }

    /// The words as written, and for each the clause it is in (a clause ends at . , ; : ! ? or a line break).
    static func tokenize(_ text: String, _ language: WrittenLanguage) -> (words: [String], clauses: [Int]) {
        var words: [String] = []
        var clauses: [Int] = []
        var clause = 0
        var current = ""
        func finish() {
            guard !current.isEmpty else { return }
            if language == .french, let apostrophe = current.firstIndex(of: "'"),
               let full = frenchElisions[current[..<apostrophe].lowercased()], current.index(after: apostrophe) < current.endIndex {
                words.append(full)
                clauses.append(clause)
                current = String(current[current.index(after: apostrophe)...])
            }
            words.append(current)
            clauses.append(clause)
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "'" || character == "’" {
                current.append(character == "’" ? "'" : character)
            } else {
                finish()
                if ".,;:!?\n()".contains(character) { clause += 1 }
            }
        }
        finish()
        return (words, clauses)
    }

    static let frenchElisions = ["l": "le", "d": "de", "j": "je", "n": "ne", "qu": "que", "c": "ce", "s": "se", "m": "me", "t": "te"]

    /// The message without quoted lines ("> …") and without what follows an "On … wrote:" line.
    static func withoutQuotes(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(">") { continue }
            if Self.isAttribution(trimmed) { break }
            if trimmed.hasPrefix("-----Original Message") { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// "On Tue, Ana wrote:", "El mar, Ana escribió:", "Le mar., Ana a écrit :", "Am Di., Ana schrieb:".
    static func isAttribution(_ line: String) -> Bool {
        let openings = ["On ", "El ", "Le ", "Am "]
        let endings = ["wrote:", "escribió:", "a écrit :", "a écrit:", "schrieb:"]
        return openings.contains(where: line.hasPrefix) && endings.contains(where: line.hasSuffix)
    }
}
