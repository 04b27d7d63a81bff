/// "Show this question when that answer is one of these": the flow's only branching rule, so flows stay readable.
public struct IntakeCondition: Sendable, Codable, Hashable {
    /// The key of an earlier question.
    public var questionKey: String
    /// Answers (in their stored text form: a choice, `yes`/`no`, a number) that reveal the question.
    public var equalsAny: [String]

    public init(questionKey: String, equalsAny: [String]) {
        self.questionKey = questionKey
        self.equalsAny = equalsAny
    }

    enum CodingKeys: String, CodingKey {
        case questionKey = "question"
        case equalsAny = "equals"
    }

    /// Whether the answers given so far reveal the question.
    public func isMet(by answers: [String: IntakeAnswer]) -> Bool {
        guard let answer = answers[questionKey] else { return false }
        return equalsAny.contains(answer.comparable)
    }
}
