import CasebookCore
import Testing

@Suite("Already tried, from what customers write")
struct AlreadyTriedTests {
    @Test("the sentence that reports an attempt is found, as written, in each language")
    func findsAttempts() {
        #expect(AlreadyTried.sentences(in: "The printer stopped on Monday. I already cleared the spooler and reinstalled the driver. Any idea?")
                == ["I already cleared the spooler and reinstalled the driver."])
        #expect(AlreadyTried.sentences(in: "VPN drops every hour. We restarted the firewall, no change.\nThanks, Ben")
                == ["We restarted the firewall, no change."])
        #expect(AlreadyTried.sentences(in: "La impresora no imprime. Ya he reiniciado el equipo y cambiado el cable, sin éxito.")
                == ["Ya he reiniciado el equipo y cambiado el cable, sin éxito."])
        #expect(AlreadyTried.sentences(in: "L'imprimante ne répond plus. J'ai déjà redémarré le serveur d'impression. Merci.")
                == ["J'ai déjà redémarré le serveur d'impression."])
        #expect(AlreadyTried.sentences(in: "Der Drucker druckt nicht. Ich habe den Treiber bereits neu installiert, ohne Erfolg. Grüße")
                == ["Ich habe den Treiber bereits neu installiert, ohne Erfolg."])
    }

    @Test("questions, denials, version numbers and quoted mail are not attempts")
    func ignores() {
        #expect(AlreadyTried.sentences(in: "Have you tried restarting it? Should I try again?") == [])
        #expect(AlreadyTried.sentences(in: "We have not tried the new firmware yet.") == [])
        #expect(AlreadyTried.sentences(in: "Please reset the password for Ana.") == [])
        #expect(AlreadyTried.sentences(in: "Updated to v2.3.1 already. It still fails.") == ["Updated to v2.3.1 already."])
        #expect(AlreadyTried.sentences(in: "Still broken.\n\nOn Tue, Ana wrote:\n> I already rebooted it.") == [])
    }
}
