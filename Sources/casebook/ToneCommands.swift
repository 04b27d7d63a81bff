import ArgumentParser
import CasebookCore
import Foundation

/// `casebook tone`: the customer-tone classifier from the command line.
struct ToneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tone", abstract: "Classify customer tone, or measure the classifier on the labelled evaluation set.",
        subcommands: [ToneEvaluate.self, ToneClassify.self], defaultSubcommand: ToneEvaluate.self)
}

/// `casebook tone evaluate`: precision and recall per tone on the evaluation set.
struct ToneEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Print precision and recall per tone on the labelled set.")

    @Option(help: "A labelled set (label<TAB>text a line, with a header) instead of the built-in one.") var file: String?
    @Flag(help: "Also list the messages it got wrong.") var mistakes = false

    func run() throws {
        let evaluation: ToneEvaluation
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
            do { evaluation = try ToneEvaluation.parse(text) } catch { throw ValidationError("\(file) is not a label<TAB>text file: \(error)") }
        } else {
            evaluation = try ToneEvaluation.standard()
        }
        let (figures, wrong) = evaluation.run()
        print("tone        precision  recall  messages")
        for figure in figures {
            print(figure.tone.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "%9.3f %7.3f %9d", figure.precision, figure.recall, figure.support))
        }
        let correct = evaluation.examples.count - wrong.count
        print(String(format: "accuracy    %.3f (%d of %d)", Double(correct) / Double(max(1, evaluation.examples.count)), correct, evaluation.examples.count))
        if mistakes {
            for (example, predicted) in wrong { print("\(example.tone.rawValue) → \(predicted.rawValue): \(example.text)") }
        }
        if figures.contains(where: { $0.precision < 0.8 || $0.recall < 0.8 }) { throw ExitCode(1) }
    }
}

/// `casebook tone classify TEXT`: one message's tone and the words that decided it.
struct ToneClassify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Classify one message and show its evidence.")

    @Argument(help: "The message text.") var text: String

    func run() throws {
        let reading = ToneClassifier().classify(text)
        print(reading.tone.rawValue)
        for item in reading.evidence {
            print("  \(item.tone.rawValue) \(String(format: "%.2f", item.weight)) \(item.reason): \(item.text)")
        }
    }
}
