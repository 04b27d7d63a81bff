import CasebookCore
import Testing

@Suite("Customer tone")
struct ToneClassifierTests {
    let classifier = ToneClassifier()

    @Test("the deciding words are shown with the tone")
    func evidence() {
        let reading = classifier.classify("This is completely unacceptable, nobody has called us back.")
        #expect(reading.tone == .angry)
        #expect(reading.deciding.first?.text == "unacceptable" && reading.deciding.first?.reason == "intensified")
        #expect(classifier.classify("Thanks, that fixed it!").tone == .positive)
        #expect(classifier.classify("Please reset the password for Ana.").tone == .neutral)
        #expect(classifier.classify("Still waiting on an update from last week.").tone == .frustrated)
    }

    @Test("negation: a negated compliment is frustration, a negated complaint is not")
    func negation() {
        let unhappy = classifier.classify("Not happy with how long this takes, not helpful at all.")
        #expect(unhappy.tone == .frustrated && unhappy.evidence.contains { $0.reason == "negated" })
        #expect(classifier.classify("No problem, the report can wait until Monday.").tone != .frustrated)
        #expect(classifier.classify("The update did not cause any error this time.").tone == .neutral)
    }

    @Test("capitals and repeated punctuation count; an acronym or two does not")
    func capitalsAndPunctuation() {
        let shouting = classifier.classify("WHY IS THE SERVER STILL DOWN")
        #expect(shouting.tone == .angry && shouting.evidence.contains { $0.reason == "capitals" })
        #expect(classifier.classify("Please check the VPN and the DNS settings on the NAS.").tone == .neutral)
        #expect(classifier.classify("Is anyone there??").tone == .frustrated)
        #expect(classifier.classify("Fix it now!! Ridiculous.").tone == .angry)
    }

    @Test("quoted earlier mail does not count")
    func quotes() {
        let text = "Thanks, all working now.\n\nOn Tue, Ana wrote:\n> This is unacceptable and ridiculous!!"
        #expect(classifier.classify(text).tone == .positive)
        #expect(classifier.classify("Great, thanks.\n> WHY IS THIS STILL BROKEN").tone == .positive)
    }

    @Test("on the project's evaluation set of 300+ labelled messages, every tone has precision and recall of at least 0.8")
    func evaluationSet() throws {
        let evaluation = try ToneEvaluation.standard()
        #expect(evaluation.examples.count >= 300)
        let (figures, mistakes) = evaluation.run(classifier)
        for figure in figures {
            #expect(figure.support >= 75)
            #expect(figure.precision >= 0.8 && figure.recall >= 0.8,
                    "\(figure.tone): precision \(figure.precision), recall \(figure.recall); e.g. \(mistakes.filter { $0.0.tone == figure.tone }.prefix(3).map { "\($0.0.text) → \($0.1)" })")
        }
    }
}
