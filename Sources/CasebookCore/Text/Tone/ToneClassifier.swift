import Foundation

/// Classifies a customer's message as angry, frustrated, neutral or positive by lexicon and rules,
/// keeping every piece of evidence so an agent can see why.
///
/// Rules: a negation ("not", "never", "no", "don't", …) within three words before a word turns a
/// positive word into frustration and cancels a negative one; an intensifier ("very", "so",
/// "absolutely", …) just before a word raises its weight by half; words in capitals shout (anger);
/// repeated exclamation marks are anger, repeated question marks frustration. Quoted text from
/// earlier mail is left out, since it is not what the customer is saying now.
public struct ToneClassifier: Sendable {
    public let lexicon: ToneLexicon

    public init(lexicon: ToneLexicon = .standard) {
        self.lexicon = lexicon
    }

    static let negations: Set<String> = ["not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
                                         "wasn't", "wasnt", "aren't", "won't", "wont", "nothing", "hardly", "without", "nor", "neither",
                                         "nunca", "ni", "tampoco", "sin"]
    static let intensifiers: Set<String> = ["very", "so", "really", "extremely", "absolutely", "completely", "totally", "utterly", "truly",
                                            "incredibly", "seriously", "super", "highly", "deeply", "most", "muy", "totalmente", "realmente"]
    /// Phrases that look negative but are not ("no problem", "no worries").
    static let reassurances = ["no problem", "no worries", "not a problem", "no rush", "no hurry", "sin problema"]

    public func classify(_ text: String) -> ToneReading {
        let body = Self.withoutQuotes(text)
        let tokens = Self.tokens(body)
        let lower = tokens.map { $0.lowercased() }
        var evidence: [ToneEvidence] = []
        var index = 0
        var protected = Set<Int>()
        // Reassurances are consumed first, and count as mildly positive.
        for phrase in Self.reassurances {
            let words = phrase.split(separator: " ").map(String.init)
            var i = 0
            while i + words.count <= lower.count {
                if Array(lower[i..<(i + words.count)]) == words {
                    for k in i..<(i + words.count) { protected.insert(k) }
                    evidence.append(ToneEvidence(text: phrase, tone: .positive, weight: 1, reason: "lexicon"))
                }
                i += 1
            }
        }
        while index < lower.count {
            if protected.contains(index) {
                index += 1
                continue
            }
            var matched: (phrase: String, length: Int, tone: Tone, weight: Double)?
            for length in stride(from: min(lexicon.longest, lower.count - index), through: 1, by: -1) {
                let phrase = lower[index..<(index + length)].joined(separator: " ")
                if let entry = lexicon.entries[phrase] {
                    matched = (phrase, length, entry.tone, entry.weight)
                    break
                }
            }
            guard let match = matched else {
                index += 1
                continue
            }
            var tone = match.tone
            var weight = match.weight
            var reason = "lexicon"
            let before = lower[max(0, index - 3)..<index]
            // "still not" and similar phrases carry their own negation; only look before the phrase.
            if before.contains(where: Self.negations.contains), !match.phrase.contains(" ") || match.tone == .positive {
                if tone == .positive {
                    tone = .frustrated
                    weight = max(2, weight * 0.75)
                    reason = "negated"
                } else if tone == .frustrated && weight <= 1 {
                    tone = .neutral
                    weight = 0
                    reason = "negated"
                }
            }
            if reason == "lexicon", index > 0, Self.intensifiers.contains(lower[index - 1]) {
                weight *= 1.5
                reason = "intensified"
            }
            if weight > 0 {
                let original = tokens[index..<(index + match.length)].joined(separator: " ")
                evidence.append(ToneEvidence(text: original, tone: tone, weight: weight, reason: reason))
            }
            index += match.length
        }
        evidence += Self.shouting(tokens)
        evidence += Self.punctuation(body)
        return decide(evidence)
    }

    /// Ordinary words people capitalise to shout; acronyms (VPN, DNS) are not among them.
    static let emphaticWords: Set<String> = ["not", "now", "why", "stop", "never", "enough", "again", "still", "fix", "today", "immediately",
                                             "what", "how", "this", "the", "is", "are", "you", "your", "all", "any", "need", "want", "must",
                                             "third", "fourth", "fifth", "down", "broken", "working", "call", "me", "us", "we", "it", "had",
                                             "have", "time", "same", "every", "nobody", "refund", "writing", "about", "invoice", "demand"]

    /// Shouting: a message mostly in capitals, or ordinary words written in capitals for emphasis.
    static func shouting(_ tokens: [String]) -> [ToneEvidence] {
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

    /// Angry wins at a clear anger score, then frustration, then positive when it outweighs both; otherwise neutral.
    func decide(_ evidence: [ToneEvidence]) -> ToneReading {
        var scores: [Tone: Double] = [:]
        for item in evidence { scores[item.tone, default: 0] += item.weight }
        let angry = scores[.angry] ?? 0
        let frustrated = scores[.frustrated] ?? 0
        let positive = scores[.positive] ?? 0
        let tone: Tone
        if angry >= 3 && angry >= positive {
            tone = .angry
        } else if frustrated + angry >= 2 && frustrated + angry > positive {
            tone = angry >= 2 && angry >= frustrated ? .angry : .frustrated
        } else if positive >= 2 && positive > frustrated + angry {
            tone = .positive
        } else {
            tone = .neutral
        }
        var named: [String: Double] = [:]
        for item in Tone.allCases { named[item.rawValue] = ((scores[item] ?? 0) * 100).rounded() / 100 }
        return ToneReading(tone: tone, scores: named, evidence: evidence.filter { $0.tone != .neutral })
    }

    /// Words with their apostrophes; punctuation split off.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "'" || character == "’" {
                current.append(character == "’" ? "'" : character)
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The message without quoted lines ("> …") and without what follows an "On … wrote:" line.
    static func withoutQuotes(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(">") { continue }
            if trimmed.hasPrefix("On "), trimmed.hasSuffix("wrote:") { break }
            if trimmed.hasPrefix("-----Original Message") { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}
