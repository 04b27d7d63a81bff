/// The language a message is written in, among those Casebook reads for tone and for what was already tried.
///
/// Detection counts common function words ("the", "que", "les", "nicht") and letters that only one of the
/// languages uses (ñ, ç, ß). It needs no model and is right on the short, plain sentences customers write;
/// a message with no clue at all is taken as English, which is also what the classifier falls back to.
public enum WrittenLanguage: String, Sendable, CaseIterable, Codable {
    case english = "en", spanish = "es", french = "fr", german = "de"

    /// The language `text` is most likely written in; English when there is no clue.
    public static func detect(_ text: String) -> WrittenLanguage {
        detectIfClear(text) ?? .english
    }

    /// The language `text` is most likely written in, or nil when nothing in it points to one.
    public static func detectIfClear(_ text: String) -> WrittenLanguage? {
        var scores: [WrittenLanguage: Double] = [:]
        var word = ""
        func count() {
            guard !word.isEmpty else { return }
            for (language, points) in wordPoints[word] ?? [] { scores[language, default: 0] += points }
            word = ""
        }
        for character in text.lowercased() {
            if character.isLetter {
                word.append(character)
                if let language = distinctiveLetters[character] { scores[language, default: 0] += 0.5 }
            } else {
                if character == "'" || character == "’", ["l", "d", "j", "n", "qu", "c", "s", "m", "t"].contains(word) {
                    scores[.french, default: 0] += 1
                }
                if character == "¿" || character == "¡" { scores[.spanish, default: 0] += 2 }
                count()
            }
        }
        count()
        let best = scores.max { $0.value != $1.value ? $0.value < $1.value : $0.key.order > $1.key.order }
        guard let best, best.value >= 1 else { return nil }
        return best.key
    }

    /// Every clue word with the points it gives each language, built once: a word is looked up once, not in a set
    /// per language made afresh for every word (which cost mail intake half its writer's time).
    private static let wordPoints: [String: [(WrittenLanguage, Double)]] = {
        var points: [String: [(WrittenLanguage, Double)]] = [:]
        for language in allCases {
            for word in language.functionWords { points[word, default: []].append((language, 1)) }
            for word in language.sharedWords { points[word, default: []].append((language, 0.5)) }
        }
        return points
    }()

    /// Ties go to the earlier language (English first).
    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    private static let distinctiveLetters: [Character: WrittenLanguage] = [
        "ñ": .spanish, "¿": .spanish, "ó": .spanish, "í": .spanish, "á": .spanish,
        "ç": .french, "è": .french, "ê": .french, "à": .french, "ù": .french, "â": .french, "î": .french, "ô": .french, "œ": .french,
        "ä": .german, "ö": .german, "ü": .german, "ß": .german,
    ]

    /// Frequent words two of the languages share ("de", "la", "no"): half a point each.
    var sharedWords: Set<String> {
        switch self {
        case .english: ["no", "a", "in", "me", "so", "also"]
        case .spanish: ["de", "la", "en", "un", "no", "a", "me", "te", "si"]
        case .french: ["de", "la", "en", "un", "que", "a", "si", "me", "te"]
        case .german: ["so", "in", "also", "man"]
        }
    }

    /// Short words that are frequent in one language and rare as words in the others.
    var functionWords: Set<String> {
        switch self {
        case .english:
            ["the", "and", "is", "are", "to", "of", "it", "we", "i", "you", "this", "that", "with", "for", "not", "on", "have", "was",
             "our", "my", "please", "can", "has", "been", "from", "but", "again", "since", "after", "still", "when", "your", "what",
             "there", "be", "at", "an", "do", "does", "did", "it's", "i'm", "don't", "doesn't", "thanks", "would", "could", "they"]
        case .spanish:
            ["el", "los", "las", "que", "y", "es", "por", "para", "con", "una", "se", "lo", "del", "mi", "nuestro", "nuestra", "está",
             "están", "pero", "muy", "hemos", "desde", "sin", "al", "como", "más", "ya", "hay", "ha", "han", "su", "nos", "yo", "estoy",
             "gracias", "otra", "vez", "todavía", "sigue", "cuando", "también", "esto", "este", "esta", "nada", "hace", "favor", "tengo",
             "tenemos", "todos", "todas", "todo", "nuestras", "nuestros", "son", "fue", "puede", "pueden", "podemos", "he", "qué",
             "sois", "estamos", "os", "así", "sus", "mis", "hoy", "ahora"]
        case .french:
            ["le", "les", "des", "et", "est", "je", "nous", "vous", "pas", "ne", "une", "pour", "qui", "dans", "sur", "avec", "mon",
             "notre", "ça", "c'est", "il", "au", "du", "ce", "cette", "mais", "très", "depuis", "encore", "toujours", "merci", "j'ai",
             "n'est", "votre", "vos", "sont", "ai", "avons", "rien", "aux", "aussi", "fois", "ou", "bonjour", "cordialement",
             "tout", "tous", "avez", "était", "été", "peut", "pouvez", "sommes", "suis", "où", "quoi", "chez", "êtes"]
        case .german:
            ["der", "die", "das", "und", "ist", "nicht", "ich", "wir", "sie", "ein", "eine", "mit", "auf", "für", "den", "dem", "es",
             "zu", "von", "bei", "seit", "noch", "schon", "kein", "keine", "auch", "unser", "unsere", "mein", "meine", "wieder", "immer",
             "bitte", "danke", "wird", "haben", "hat", "sind", "aber", "nach", "wie", "nur", "mir", "uns", "ihr", "ihre", "gibt", "geht",
             "bin", "wurde", "wurden", "können", "kann", "habe", "heute", "alles", "ganz", "doch", "jetzt", "dass", "sehr", "vielen"]
        }
    }
}
