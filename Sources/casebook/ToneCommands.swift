import ArgumentParser
import CasebookCore
import CasebookServer
import Foundation

/// `casebook tone`: the customer-tone classifier from the command line.
struct ToneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tone", abstract: "Classify customer tone, or measure the classifier on the labelled evaluation set.",
        subcommands: [ToneEvaluate.self, ToneClassify.self], defaultSubcommand: ToneEvaluate.self)
}

/// `casebook tone evaluate`: precision and recall per tone and language on the labelled sets.
struct ToneEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate",
                                                    abstract: "Print precision and recall per tone, for each language's labelled set.")

    @Option(help: "A labelled set (label<TAB>text a line, with a header) instead of the built-in ones.") var file: String?
    @Option(help: "Only this language's built-in set (en, es, fr, de).") var language: String?
    @Flag(help: "Also list the messages it got wrong.") var mistakes = false

    func run() throws {
        var failed = false
        for (name, evaluation) in try sets() {
            print(say.counted("cli_tone_set", count: evaluation.examples.count, ["name": name]))
            failed = report(evaluation) || failed
            print("")
        }
        if failed { throw ExitCode(1) }
    }

    private func sets() throws -> [(String, ToneEvaluation)] {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError(say("cli_cannot_read", ["path": file])) }
            do { return [(file, try ToneEvaluation.parse(text))] } catch { throw ValidationError(say("cli_tone_not_labelled", ["path": file, "reason": "\(error)"])) }
        }
        var languages = WrittenLanguage.allCases
        if let language {
            guard let chosen = WrittenLanguage(rawValue: language) else {
                throw ValidationError(say("cli_tone_unknown_language", ["language": language,
                                                                        "choices": WrittenLanguage.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            languages = [chosen]
        }
        return try languages.map { ($0.rawValue, try ToneEvaluation.standard($0)) }
    }

    /// Prints one set's figures; true when any tone falls below 0.8 precision or recall.
    private func report(_ evaluation: ToneEvaluation) -> Bool {
        let (figures, wrong) = evaluation.run()
        print(say("cli_tone_columns"))
        for figure in figures {
            print(figure.tone.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "%9.3f %7.3f %9d", figure.precision, figure.recall, figure.support))
        }
        let correct = evaluation.examples.count - wrong.count
        print(say("cli_tone_accuracy", ["accuracy": String(format: "%.3f", Double(correct) / Double(max(1, evaluation.examples.count))),
                                         "correct": String(correct), "total": String(evaluation.examples.count)]))
        if mistakes {
            for (example, predicted) in wrong { print("\(example.tone.rawValue) → \(predicted.rawValue): \(example.text)") }
        }
        return figures.contains { $0.precision < 0.8 || $0.recall < 0.8 }
    }
}

/// `casebook tone classify TEXT`: one message's tone and the words that decided it.
struct ToneClassify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Classify one message and show its evidence.")

    @Argument(help: "The message text.") var text: String

    func run() throws {
        let reading = ToneClassifier().classify(text)
        print(say("cli_tone_read_as", ["tone": reading.tone.rawValue, "language": reading.language.rawValue]))
        for item in reading.evidence {
            print("  \(item.tone.rawValue) \(String(format: "%.2f", item.weight)) \(item.reason): \(item.text)")
        }
    }
}
