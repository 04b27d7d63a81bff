/// How a customer sounds in a message.
public enum Tone: String, Sendable, Codable, CaseIterable, Comparable {
    case angry, frustrated, neutral, positive

    /// Whether the tone should make a case stand out in queues.
    public var isFlagged: Bool { self == .angry || self == .frustrated }

    /// Urgency order: angry first.
    var rank: Int {
        switch self {
        case .angry: 3
        case .frustrated: 2
        case .neutral: 1
        case .positive: 0
        }
    }

    public static func < (lhs: Tone, rhs: Tone) -> Bool { lhs.rank < rhs.rank }
}

/// One piece of evidence behind a tone: a word or a signal, which tone it pointed to, and how strongly.
public struct ToneEvidence: Sendable, Equatable, Codable {
    public let text: String
    public let tone: Tone
    public let weight: Double
    /// Why it counted: "lexicon", "intensified", "negated", "fault", "capitals", "punctuation".
    public let reason: String
}

/// The classifier's answer: the tone, the score for each, and the words that decided it.
public struct ToneReading: Sendable, Equatable, Codable {
    public let tone: Tone
    public let scores: [String: Double]
    public let evidence: [ToneEvidence]
    /// The language the message was read in.
    public let language: WrittenLanguage

    /// How much the lexicon found, whatever the tone: used to choose a language for a message too short to tell.
    var strength: Double { evidence.filter { $0.reason != "calm" }.reduce(0) { $0 + $1.weight } }

    /// The evidence for the chosen tone, strongest first: what a person reads to see why.
    public var deciding: [ToneEvidence] {
        evidence.filter { $0.tone == tone }.sorted { $0.weight > $1.weight }
    }
}
