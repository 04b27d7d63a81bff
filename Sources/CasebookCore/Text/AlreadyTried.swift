/// Finds the sentences in which a customer says what they already tried ("I already cleared the spooler and
/// reinstalled the driver"), in English, Spanish, French and German, so an agent never asks them to do it again.
///
/// A sentence counts when it holds a cue of its language: a verb of trying ("tried", "hemos probado",
/// "j'ai essayé", "habe versucht"), "already" with something done ("ya reinicié", "bereits neu gestartet"), or a
/// first-person fix that did not help ("we restarted it, no change"). Questions ("Have you tried…?") and
/// denials ("we have not tried that yet") do not count, nor does quoted earlier mail.
public enum AlreadyTried {
    /// The sentences of `text` that report an attempt, as written, in order.
    public static func sentences(in text: String, language: WrittenLanguage? = nil) -> [String] {
        let body = ToneClassifier.withoutQuotes(text)
        let language = language ?? WrittenLanguage.detect(body)
        let cues = Cues.of(language)
        return split(body).filter { sentence in
            guard !sentence.hasSuffix("?") else { return false }
            let words = ToneClassifier.words(sentence, language)
            let joined = " " + words.joined(separator: " ") + " "
            guard !cues.denials.contains(where: { joined.contains(" \($0) ") }) else { return false }
            return cues.phrases.contains { joined.contains(" \($0) ") }
        }
    }

    /// Sentences: split after . ! ? ; and at line breaks, keeping the end mark; blank ones dropped.
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if character == "\n" {
                sentences.append(current)
                current = ""
                continue
            }
            current.append(character)
            // "v2.3", "0.5" and "e.g." stay in one sentence: a stop ends it only before a space or the end.
            if ".!?;".contains(character), characters.first.map({ $0 == " " || $0 == "\n" }) ?? true {
                sentences.append(current)
                current = ""
            }
        }
        sentences.append(current)
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains(where: \.isLetter) }
    }

    /// One language's cue phrases, written as the tokenizer reads them (lower case, French elisions spelled out).
    struct Cues {
        var phrases: [String]
        var denials: [String]

        static func of(_ language: WrittenLanguage) -> Cues {
            let table: (String, String)
            switch language {
            case .english: table = english
            case .spanish: table = spanish
            case .french: table = french
            case .german: table = german
            }
            func list(_ text: String) -> [String] {
                text.split(separator: ",").map { ToneClassifier.words(String($0), language).joined(separator: " ") }.filter { !$0.isEmpty }
            }
            return Cues(phrases: list(table.0), denials: list(table.1))
        }

        static let english = ("""
            tried, have tried, already, attempted, no luck, didn't help, did not help, made no difference, no difference, no change, \
            without success, to no avail, i restarted, we restarted, i rebooted, we rebooted, i reinstalled, we reinstalled, \
            i cleared, we cleared, i reset, we reset, i replaced, we replaced, i updated, we updated, i swapped, we swapped, \
            i reseated, we reseated, i power cycled, we power cycled, i unplugged, we unplugged, i disabled, we disabled, \
            i checked, we checked, i changed, we changed, i've restarted, we've restarted, i've rebooted, we've rebooted, \
            i've reinstalled, we've reinstalled, i've cleared, we've cleared, i've replaced, we've replaced, i've reset, we've reset, \
            turned it off and on, switched it off and on
            """, """
            not tried, haven't tried, have not tried, didn't try, did not try, not yet tried, should i try, could you try, please try, \
            can you try, you could try, try to
            """)
        static let spanish = ("""
            he probado, hemos probado, probé, probamos, he intentado, hemos intentado, intenté, intentamos, ya he, ya hemos, \
            ya probé, ya reinicié, ya reiniciamos, he reiniciado, hemos reiniciado, reinicié, reiniciamos, he reinstalado, \
            hemos reinstalado, reinstalé, reinstalamos, he borrado, hemos borrado, borré, borramos, he cambiado, hemos cambiado, \
            cambié, cambiamos, he actualizado, hemos actualizado, actualicé, actualizamos, he desconectado, desconecté, \
            apagué y encendí, apagamos y encendimos, sin éxito, sin resultado, sin cambios, no ha servido, no sirvió, no funcionó, \
            no ha funcionado, no ayudó, no ha ayudado
            """, """
            no he probado, no hemos probado, no he intentado, no hemos intentado, todavía no he, aún no he, pueden probar, puede probar, \
            debería probar, deberíamos probar
            """)
        static let french = ("""
            j'ai essayé, nous avons essayé, on a essayé, j'ai tenté, nous avons tenté, on a tenté, déjà, j'ai redémarré, \
            nous avons redémarré, on a redémarré, j'ai réinstallé, nous avons réinstallé, on a réinstallé, j'ai vidé, nous avons vidé, \
            j'ai changé, nous avons changé, on a changé, j'ai remplacé, nous avons remplacé, on a remplacé, j'ai mis à jour, \
            nous avons mis à jour, j'ai débranché, nous avons débranché, j'ai éteint et rallumé, sans succès, sans résultat, \
            n'a rien changé, n'a pas aidé, n'a servi à rien, aucun changement
            """, """
            pas encore essayé, n'ai pas essayé, n'avons pas essayé, pouvez vous essayer, dois je essayer, faut il essayer
            """)
        static let german = ("""
            habe versucht, haben versucht, versucht, probiert, habe probiert, haben probiert, bereits, schon neu, schon probiert, \
            neu gestartet, neugestartet, neu installiert, neuinstalliert, gelöscht, ausgetauscht, getauscht, aktualisiert, \
            ab und wieder angesteckt, aus und wieder eingeschaltet, ohne erfolg, hat nicht geholfen, half nicht, keine änderung, \
            keine besserung, nichts gebracht
            """, """
            noch nicht versucht, noch nicht probiert, nicht versucht, nicht probiert, können sie versuchen, soll ich versuchen, \
            sollen wir versuchen
            """)
    }
}
