import Foundation

/// Measures the classifier against labelled messages: precision and recall per tone.
public struct ToneEvaluation: Sendable {
    public struct Example: Sendable, Equatable {
        public let tone: Tone
        public let text: String
    }

    public struct ClassFigures: Sendable, Equatable {
        public let tone: Tone
        public let precision: Double
        public let recall: Double
        public let support: Int
    }

    public let examples: [Example]

    public init(examples: [Example]) {
        self.examples = examples
    }

    /// The project's evaluation set for one language: support messages written for Casebook, one `label<TAB>text` a line.
    public static func standard(_ language: WrittenLanguage = .english) throws -> ToneEvaluation {
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "tsv", subdirectory: "ToneSets") else {
            throw ToneEvaluationError.missingSet
        }
        return try parse(try String(contentsOf: url, encoding: .utf8))
    }

    public static func parse(_ text: String) throws -> ToneEvaluation {
        var examples: [Example] = []
        for (index, line) in text.split(separator: "\n").enumerated() where index > 0 && !line.isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let tone = Tone(rawValue: String(parts[0])) else { throw ToneEvaluationError.badLine(index + 1) }
            examples.append(Example(tone: tone, text: String(parts[1])))
        }
        return ToneEvaluation(examples: examples)
    }

    /// Classifies every example; returns the figures per tone and the examples it got wrong.
    public func run(_ classifier: ToneClassifier = ToneClassifier()) -> (figures: [ClassFigures], mistakes: [(Example, Tone)]) {
        var predicted: [(Example, Tone)] = []
        for example in examples { predicted.append((example, classifier.classify(example.text).tone)) }
        let figures = Tone.allCases.map { tone -> ClassFigures in
            let truePositives = predicted.filter { $0.0.tone == tone && $0.1 == tone }.count
            let predictedCount = predicted.filter { $0.1 == tone }.count
            let actual = predicted.filter { $0.0.tone == tone }.count
            return ClassFigures(tone: tone, precision: predictedCount == 0 ? 0 : Double(truePositives) / Double(predictedCount),
                                recall: actual == 0 ? 0 : Double(truePositives) / Double(actual), support: actual)
        }
        return (figures, predicted.filter { $0.0.tone != $0.1 })
    }
}

/// Why the evaluation set could not be read.
public enum ToneEvaluationError: Error, Sendable, Equatable {
    case missingSet
    case badLine(Int)
}
