/// German: anger, frustration and thanks as customers write them; compounds are listed whole ("Zeitverschwendung").
extension ToneLexicon {
    static let german: ToneLexicon = {
        var lexicon = Builder(.german)
        lexicon.add(.angry, 3, """
            frechheit, eine frechheit, unverschämt, unverschämtheit, inakzeptabel, nicht akzeptabel, unakzeptabel, unzumutbar, \
            zumutung, eine zumutung, lächerlich, skandal, skandalös, betrug, betrüger, abzocke, inkompetent, inkompetenz, unfähig, \
            unfähigkeit, nutzlos, miserabel, katastrophal, absolute katastrophe, anwalt, rechtsanwalt, anwälte, rechtliche schritte, \
            klage, verklagen, kündigen, kündigung, vertrag kündigen, anbieter wechseln, zur konkurrenz, nie wieder, niemals wieder, \
            es reicht, reicht mir, mir reicht's, jetzt reicht's, reicht's, die nase voll, habe es satt, haben es satt, satt, wütend, \
            stinksauer, empörend, empört, schande, eine schande, ein witz, witz, das letzte, verarschen, verarscht, verarsche, \
            mist, scheiße, scheisse, verdammt, lügen, gelogen, belogen, dreist, respektlos, schwachsinn, unprofessionell, \
            fahrlässig, fahrlässigkeit, unterirdisch, armselig, peinlich, sauerei, blamage, ärgernis, bodenlos, untragbar, \
            ein armutszeugnis, armutszeugnis, konsequenzen, schlechteste, schlechtester, schlechtesten, zum letzten mal, \
            fristlos, schadenersatz, schadensersatz, erbärmlich, unverantwortlich, lügner, bezahle diese rechnung nicht, \
            das war's, wechseln den anbieter, absurd, der gipfel, keine ausreden mehr, unfähiger
            """)
        lexicon.add(.angry, 2, """
            verärgert, sauer, verlange, verlangen, fordere, fordern, sofort, umgehend, unverzüglich, erstattung, rückerstattung, \
            geld zurück, entschädigung, gutschrift, ihren vorgesetzten, einen vorgesetzten, einem vorgesetzten, vorgesetzten sprechen, ihren chef, \
            geschäftsführung, niemand übernimmt verantwortung, ausreden, gipfel, das stimmt nicht, beschwerde, \
            offizielle beschwerde, eskalieren, eskalation, furchtbar, schrecklich, wir zahlen, zahlen dafür, bezahlen dafür, \
            ohne vorwarnung, ohne ankündigung, doppelt abgebucht, doppelt berechnet, versprochen, ihre schuld, erklärung, \
            eine erklärung, dritte ausfall, dritten ausfall, katastrophe, desaster, heute noch, bis heute abend, bis morgen früh, \
            noch heute
            """)
        lexicon.add(.frustrated, 2, """
            frustrierend, frustriert, ärgerlich, ärgert, genervt, nervig, nervt, enttäuscht, enttäuschend, enttäuschung, \
            schon wieder, wieder einmal, einmal mehr, immer noch, noch immer, immer noch nicht, noch immer nicht, nach wie vor, \
            keine antwort, keine rückmeldung, keine reaktion, niemand meldet sich, niemand antwortet, niemand, keiner meldet sich, \
            warten immer noch, warte immer noch, warten seit, warte seit, seit tagen, seit wochen, seit einer woche, seit über, \
            mehrfach, mehrmals, jedes mal, jeden tag, jeden morgen, ständig, dauernd, andauernd, immer wieder, das gleiche problem, \
            dasselbe problem, gleiche problem, derselbe fehler, der gleiche fehler, gleichen fehler, zeitverschwendung, \
            verschwenden, verlieren zeit, verlieren viel zeit, im kreis, weiß nicht mehr weiter, wissen nicht mehr weiter, \
            langsam reicht, hilflos, verzweifelt, mühsam, lästig, besorgt, wie lange noch, wie lange, dauert zu lange, zu lange, \
            nachfrage, erneute nachfrage, nachhaken, erinnerung, zum zweiten mal, zum dritten mal, zweiten mal, dritten mal, \
            dreimal, zweimal, hat nicht geholfen, nichts geholfen, nichts gebracht, hat nichts gebracht, nichts geändert, \
            nichts passiert, keine lösung, ohne lösung, gibt es neuigkeiten, neuigkeiten, ungeduldig, unzufrieden, \
            bisher nichts, bis heute nicht, bis jetzt nicht, noch keine, noch keinen, noch nichts, wieder aufgetreten, \
            tritt wieder auf, ist wieder da, wieder da, wieder passiert, meine geduld, geduld ist am ende, schade, sehr schade, leider immer noch, \
            bereits gemeldet, schon gemeldet, bereits mehrfach, schon mehrfach, schon zweimal, schon dreimal, ticket wieder geöffnet
            """)
        // Persistence: with a fault word ("stürzt wieder ab", "immer noch defekt") it makes frustration, alone it does not.
        lexicon.add(.frustrated, 1.5, "wieder, erneut, weiterhin, jeden montag, jede nacht, jeden morgen, wie letzte woche, viel zeit")
        lexicon.add(.frustrated, 2, """
            es leid, es langsam leid, seit zwei tagen, seit drei tagen, seit vier tagen, seit zwei wochen, wieder dasselbe, \
            genauso langsam, zweite woche, überfordert, noch eine woche, zum verzweifeln, wieder los, schon passiert, \
            käme nicht wieder vor, nichts von dem, besteht weiterhin, neu erklären, alles neu erklären, hingehalten, geduld aus, \
            behoben sein sollte, sei behoben, sollte behoben sein, angeblich behoben, angeblich
            """)
        lexicon.add(.frustrated, 1, """
            leid, dasselbe, genauso, verlieren, leider, endlich, immer, warum, weshalb, verspätet, verspätung, verzögerung, warten, warte, \
            hat nicht funktioniert, ohne erfolg, erfolglos, bisher, tagen, wochen, schlecht, schlechter
            """)
        lexicon.fault("""
            fehler, fehlermeldung, fehlermeldungen, störung, störungen, ausfall, ausfälle, ausgefallen, fällt aus, fallen aus, \
            funktioniert nicht, funktioniert nicht mehr, funktionieren nicht, geht nicht, geht nicht mehr, klappt nicht, \
            läuft nicht, startet nicht, druckt nicht, lädt nicht, reagiert nicht, verbindet nicht, keine verbindung, kann nicht, \
            können nicht, kann mich nicht, können uns nicht, abgestürzt, absturz, abstürze, stürzt ab, stürzen ab, hängt, \
            hängt sich auf, eingefroren, friert ein, langsam, problem, probleme, defekt, defekte, kaputt, down, offline, \
            bricht ab, abbruch, abbrüche, verbindungsabbruch, verbindungsabbrüche, getrennt, trennt, fehlgeschlagen, schlägt fehl, \
            nicht erreichbar, blauer bildschirm, bluescreen, verloren, fehlt, fehlen, beschädigt, öffnet nicht, öffnet sich nicht, \
            lässt sich nicht, nicht möglich, unmöglich, bug, störung, geht aus, schaltet ab, neustart, startet neu, \
            kommt nicht an, kommen nicht an, keinen zugriff, kein zugriff, gesperrt, blockiert, zeigt nicht, wird nicht angezeigt
            """)
        lexicon.add(.positive, 3, """
            vielen dank, vielen herzlichen dank, herzlichen dank, tausend dank, besten dank, ganz herzlichen dank, hervorragend, \
            ausgezeichnet, perfekt, großartig, fantastisch, wunderbar, klasse, spitze, super, toll, genial, erstklassig, \
            vorbildlich, begeistert, sehr zufrieden, bestens, einwandfrei, sie sind die besten, gute arbeit, tolle arbeit, \
            super arbeit, lob, ein großes lob, großes lob, top, weltklasse, sensationell, traumhaft, spitzenmäßig, \
            hoher qualität, ganz toll, richtig gut, mega, gerettet, danke vielmals, herzlichsten dank, dankeschön, danke schön
            """)
        lexicon.add(.positive, 2, """
            danke, dank, bedanke, bedanken, dankbar, freundlich, freundliche hilfe, hilfsbereit, hilfreich, kompetent, \
            kompetente, professionell, zufrieden, froh, freue mich, freuen uns, freut mich, freut uns, gelöst, behoben, \
            funktioniert wieder, läuft wieder, geht wieder, klappt wieder, alles gut, alles bestens, alles in ordnung, \
            gute nachricht, gute nachrichten, prima, sehr gut, angenehm, schnelle hilfe, schnelle antwort, schnelle reaktion, \
            zügig, zügige, reibungslos, erleichtert, funktioniert einwandfrei, funktioniert perfekt, läuft einwandfrei, \
            guter service, macht spaß, danken, professionalität, freundlichkeit, netter, nette, nett, passt, passt alles
            """)
        lexicon.add(.positive, 1, "gut, schnell, schnelle")
        return lexicon.lexicon(
            negations: "nicht, kein, keine, keinen, keiner, keinem, nie, niemals, ohne, nichts, weder",
            intensifiers: """
                sehr, wirklich, total, völlig, absolut, extrem, äußerst, echt, komplett, besonders, unglaublich, zutiefst, \
                so, ganz, mega, höchst, ziemlich
                """,
            reassurances: """
                kein problem, keine sorge, keine eile, kein stress, nicht dringend, nicht schlimm, ohne eile, eilt nicht, \
                kein thema, keine panik, nichts dringendes
                """,
            courtesies: "danke im voraus, vielen dank im voraus, besten dank im voraus, danke vorab, vielen dank vorab, im voraus vielen dank, vorab vielen dank, mit freundlichen grüßen, freundliche grüße, viele grüße, beste grüße, danke für die prüfung, danke für ihre rückmeldung",
            calm: "hallo, guten, grüße, grüßen, mfg, geehrte, geehrter, anbei, anhang, angehängt, log, logs, protokoll, screenshot, version, details, beigefügt",
            emphatic: """
                nicht, jetzt, sofort, warum, nie, immer, wieder, schon, noch, heute, niemand, keine, kein, endlich, was, wann, \
                geht, funktioniert, inakzeptabel, frechheit, unverzüglich
                """,
            endings: ["en", "em", "er", "es", "e"])
    }()
}
