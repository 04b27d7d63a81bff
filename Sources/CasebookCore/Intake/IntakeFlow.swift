import Foundation

/// A category's questions, asked in order, some only when an earlier answer calls for them.
public struct IntakeFlow: Sendable, Codable, Hashable {
    public var questions: [IntakeQuestion]

    public static let maximumQuestions = 50

    public init(questions: [IntakeQuestion]) {
        self.questions = questions
    }

    /// Every problem with the definition; empty when admins may publish it.
    public func problems() -> [IntakeError] {
        var errors: [IntakeError] = []
        if questions.count > Self.maximumQuestions {
            errors.append(IntakeError("questions", "at most \(Self.maximumQuestions) questions"))
        }
        var seen: [String: IntakeQuestion] = [:]
        for question in questions {
            let key = question.key
            if !Self.isValidKey(key) {
                errors.append(IntakeError(key, "key must be 1 to 40 lowercase letters, digits or underscores, starting with a letter"))
            }
            if seen[key] != nil { errors.append(IntakeError(key, "key is used twice")) }
            let label = question.label.trimmingCharacters(in: .whitespacesAndNewlines)
            if label.isEmpty || label.count > 300 { errors.append(IntakeError(key, "label must be 1 to 300 characters")) }
            if question.why.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(IntakeError(key, "every question says why we ask it"))
            } else if question.why.count > 1_000 {
                errors.append(IntakeError(key, "why must be at most 1000 characters"))
            }
            errors += optionProblems(question)
            if let prefill = question.prefill {
                let fits = (prefill == .organisation && question.kind == .text) || (prefill == .productVersion && question.kind == .productVersion)
                if !fits { errors.append(IntakeError(key, "\(prefill.rawValue) can prefill only a \(prefill == .organisation ? "text" : "product_version") question")) }
            }
            if let condition = question.condition {
                if let earlier = seen[condition.questionKey] {
                    if condition.equalsAny.isEmpty { errors.append(IntakeError(key, "condition needs at least one answer")) }
                    for value in condition.equalsAny where !earlier.accepts(conditionValue: value) {
                        errors.append(IntakeError(key, "condition value '\(value)' is not a possible answer to '\(earlier.key)'"))
                    }
                } else {
                    errors.append(IntakeError(key, "condition must refer to an earlier question, not '\(condition.questionKey)'"))
                }
            }
            seen[key] = question
        }
        return errors
    }

    private func optionProblems(_ question: IntakeQuestion) -> [IntakeError] {
        guard question.kind == .choice else {
            return question.options.isEmpty ? [] : [IntakeError(question.key, "only a choice question has options")]
        }
        var errors: [IntakeError] = []
        if question.options.count < 2 || question.options.count > 50 { errors.append(IntakeError(question.key, "a choice needs 2 to 50 options")) }
        if Set(question.options).count != question.options.count { errors.append(IntakeError(question.key, "options must differ")) }
        if question.options.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 200 }) {
            errors.append(IntakeError(question.key, "options must be 1 to 200 characters"))
        }
        return errors
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first), key.count <= 40 else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The questions shown for the answers given so far, in order; a question whose condition names a hidden question is hidden too.
    public func visibleQuestions(answers: [String: IntakeAnswer]) -> [IntakeQuestion] {
        var visible: [IntakeQuestion] = []
        var shownAnswers: [String: IntakeAnswer] = [:]
        for question in questions {
            if let condition = question.condition, !condition.isMet(by: shownAnswers) { continue }
            visible.append(question)
            if let answer = answers[question.key] { shownAnswers[question.key] = answer }
        }
        return visible
    }

    /// Checks a submission: answers to shown questions are parsed, facts on record fill prefilled questions,
    /// answers to questions the branching hid are dropped, and every missing or malformed answer is named.
    /// `versionLabel` resolves a product-version id to its label, or nil when the catalogue has no such version.
    public func evaluate(raw: [String: String], known: IntakeKnownFacts = IntakeKnownFacts(),
                         versionLabel: (String) -> String? = { _ in nil }) -> IntakeOutcome {
        var outcome = IntakeOutcome()
        let keys = Set(questions.map(\.key))
        for key in raw.keys.sorted() where !keys.contains(key) {
            outcome.errors.append(IntakeError(key, "is not a question of this flow"))
        }
        for question in questions {
            if let condition = question.condition, !condition.isMet(by: outcome.answers) { continue }
            let text = raw[question.key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            // The version on record is a guess the customer may correct (they upgraded, or this request is about another
            // machine); the organisation is the account's own and is not theirs to change here.
            if let prefill = question.prefill, let known = known.answer(for: prefill),
               prefill != .productVersion || text.isEmpty || text.lowercased() == known.productVersionID?.lowercased() {
                outcome.answers[question.key] = known
                outcome.prefilled.insert(question.key)
                continue
            }
            if text.isEmpty {
                if question.required { outcome.errors.append(IntakeError(question.key, "is required", kind: .required)) }
                continue
            }
            switch question.parse(text) {
            case .failure(let error):
                outcome.errors.append(error)
            case .success(.productVersion(let id, _)):
                if let label = versionLabel(id) {
                    outcome.answers[question.key] = .productVersion(id: id, label: label)
                } else {
                    outcome.errors.append(IntakeError(question.key, "names no known product version", kind: .unknownVersion))
                }
            case .success(let answer):
                outcome.answers[question.key] = answer
            }
        }
        return outcome
    }
}

/// The checked answers of one submission, which of them came from the record, and what is wrong.
public struct IntakeOutcome: Sendable, Hashable {
    public var answers: [String: IntakeAnswer] = [:]
    public var prefilled: Set<String> = []
    public var errors: [IntakeError] = []

    public init() {}
}

extension IntakeQuestion {
    /// Whether a condition may compare this question's answer with `value`.
    func accepts(conditionValue value: String) -> Bool {
        switch kind {
        case .choice: options.contains(value)
        case .yesNo: value == "yes" || value == "no"
        case .number: Double(value) != nil
        case .date: LocalDate(parsing: value) != nil
        case .text, .file, .productVersion: !value.isEmpty
        }
    }
}
