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

    @Test("on each language's evaluation set of 300+ labelled messages, every tone has precision and recall of at least 0.9",
          arguments: WrittenLanguage.allCases)
    func evaluationSet(language: WrittenLanguage) throws {
        let evaluation = try ToneEvaluation.standard(language)
        #expect(evaluation.examples.count >= 300)
        let (figures, mistakes) = evaluation.run(classifier)
        for figure in figures {
            #expect(figure.support >= 75)
            #expect(figure.precision >= 0.9 && figure.recall >= 0.9,
                    "\(language) \(figure.tone): precision \(figure.precision), recall \(figure.recall); e.g. \(mistakes.filter { $0.0.tone == figure.tone }.prefix(3).map { "\($0.0.text) → \($0.1)" })")
        }
    }

    @Test("a calm technical report stays neutral, whatever fault words it uses")
    func calmTechnicalReports() {
        let backup = classifier.classify("The nightly backup failed again with error 0x80070005. Log attached. Regards, Ana")
        #expect(backup.tone == .neutral && backup.evidence.contains { $0.reason == "calm" })
        #expect(classifier.classify("Hi, our VPN drops every few minutes and the tunnel shows DOWN on the firewall. Could you take a look? Thanks, Ben").tone == .neutral)
        #expect(classifier.classify("The printer is not working. Thanks, Jo").tone == .neutral)
        #expect(classifier.classify("La impresora no funciona desde esta mañana, error E-204.").tone == .neutral)
        #expect(classifier.classify("Der Server ist seit 9 Uhr down, Fehler 502. Viele Grüße").tone == .neutral)
        // The same faults with persistence or feeling in them are frustration.
        #expect(classifier.classify("The monitor still flickers even with the new cable.").tone == .frustrated)
        #expect(classifier.classify("Es frustrante, la VPN se cae otra vez.").tone == .frustrated)
    }

    @Test("Spanish, French and German are read with their own words, negations and courtesies")
    func otherLanguages() {
        let spanish = classifier.classify("Estoy muy frustrada, llevo tres días sin poder imprimir.")
        #expect(spanish.tone == .frustrated && spanish.language == .spanish && spanish.deciding.first?.reason == "intensified")
        #expect(classifier.classify("Je ne suis pas satisfait de la réponse.").tone == .frustrated)
        #expect(classifier.classify("Merci de créer un compte pour Laure. Merci d'avance.").tone == .neutral)
        #expect(classifier.classify("Merci beaucoup, tout fonctionne parfaitement.").tone == .positive)
        let german = classifier.classify("Ein katastrophales Update. Ich verlange sofort eine Gutschrift.")
        #expect(german.tone == .angry && german.language == .german && german.evidence.contains { $0.text == "katastrophales" })
        #expect(classifier.classify("Kein Problem, das hat Zeit bis Montag.").tone != .frustrated)
        #expect(classifier.classify("Vielen Dank, läuft wieder einwandfrei!").tone == .positive)
        // Too short to name its language: the lexicon that finds most decides.
        #expect(classifier.classify("Perfecto, buen trabajo.").tone == .positive)
    }

    @Test("a negation does not reach across a sentence")
    func negationStopsAtTheSentence() {
        #expect(classifier.classify("It does not print. Great support as always though, thanks!").tone == .positive)
        #expect(classifier.classify("Ça ne marche pas. Merci beaucoup pour votre aide rapide !").tone == .positive)
    }
}
