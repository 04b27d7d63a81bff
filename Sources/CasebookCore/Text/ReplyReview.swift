/// When a public reply waits for a colleague fluent in its language before it reaches the customer.
///
/// Support writing advice is plain: a reply in a language its author does not write well should be read by a native
/// speaker first. An agent lists the languages they write well; one who lists none writes the language of their own
/// profile. A reply's language is what its text clearly reads as; a reply that does not say is sent.
public enum ReplyReview {
    /// Why a reply waits, for the timeline and the reviewer.
    public enum Reason: String, Sendable, Codable, Equatable {
        /// The author does not list the reply's language.
        case language
        /// An automation rule asked that every reply on the case be reviewed.
        case rule
    }

    /// The language codes Casebook can review in (those it reads and writes).
    public static let languages = WrittenLanguage.allCases.map(\.rawValue)

    /// The language a reply is written in, when its text says so clearly. A reply too short to tell ("Working on it")
    /// is nil: holding it on a guess would delay the customer for nothing.
    public static func language(of text: String) -> String? {
        WrittenLanguage.detectIfClear(text)?.rawValue
    }

    /// The languages an author writes well: those they list, else their profile's language.
    public static func fluent(listed: [String], profileLanguage: String) -> Set<String> {
        listed.isEmpty ? [String(profileLanguage.lowercased().prefix(2))] : Set(listed)
    }

    /// Why a public reply in `language` by an author with these languages must wait, or nil to send it now.
    public static func reason(language: String, listed: [String], profileLanguage: String) -> Reason? {
        fluent(listed: listed, profileLanguage: profileLanguage).contains(language) ? nil : .language
    }

    /// A list of language codes as typed (any case, duplicates, blanks), checked and in a stable order.
    public static func checked(_ codes: [String]) throws(ReviewLanguageError) -> [String] {
        var seen: [String] = []
        for raw in codes {
            let code = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !code.isEmpty else { continue }
            guard languages.contains(code) else { throw ReviewLanguageError(code: raw) }
            if !seen.contains(code) { seen.append(code) }
        }
        return languages.filter(seen.contains)
    }

    /// The stored form of a list: codes joined by commas ("" for none).
    public static func stored(_ codes: [String]) -> String { codes.joined(separator: ",") }

    /// A stored list read back.
    public static func listed(_ stored: String) -> [String] {
        stored.split(separator: ",").map(String.init).filter(languages.contains)
    }
}

/// A language code Casebook cannot review in.
public struct ReviewLanguageError: Error, Equatable, Sendable {
    public let code: String

    public init(code: String) { self.code = code }
}
