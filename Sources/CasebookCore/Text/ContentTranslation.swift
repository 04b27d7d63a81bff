import Foundation

/// Admin-written content a customer reads and an admin may translate.
public enum TranslatableKind: String, Sendable, Codable, CaseIterable {
    /// A category's name and description, on the portal's "new request" page.
    case category
    /// An intake question's label, "why we ask" and choices, keyed by the question.
    case intake
    /// A problem's workaround, shown to the customers whose cases are linked to it.
    case problem
    /// A proactive notice's subject and message, while it is still a draft: each recipient is mailed in their language.
    case notice
}

/// One piece of admin-written text, in the content language, and where it lives.
public struct TranslatableText: Sendable, Hashable {
    public var kind: TranslatableKind
    public var itemID: UUID
    /// Which text of the item: `name`, `description`, `workaround`, `subject`, `body`, or `<question key>.label`, `.why`, `.option.<n>`.
    public var field: String
    /// What the item is called, so an admin finds it.
    public var item: String
    public var source: String

    public init(kind: TranslatableKind, itemID: UUID, field: String, item: String, source: String) {
        self.kind = kind
        self.itemID = itemID
        self.field = field
        self.item = item
        self.source = source
    }

    /// The fields of an intake question: its label, why it is asked, and each choice by position.
    public static func intakeFields(of question: IntakeQuestion) -> [(field: String, source: String)] {
        [(question.key + ".label", question.label), (question.key + ".why", question.why)]
            + question.options.enumerated().map { (question.key + ".option.\($0.offset)", $0.element) }
    }
}

/// A translation of one text into one language, with the words it was made from: when an admin later changes the
/// original, the translation is out of date and the original is shown until someone translates it again.
public struct ContentTranslation: Sendable, Hashable {
    public var kind: TranslatableKind
    public var itemID: UUID
    public var field: String
    public var language: String
    public var text: String
    public var source: String

    public init(kind: TranslatableKind, itemID: UUID, field: String, language: String, text: String, source: String) {
        self.kind = kind
        self.itemID = itemID
        self.field = field
        self.language = language
        self.text = text
        self.source = source
    }

    /// The longest translation kept: a workaround is the longest text translated.
    public static let maximumLength = 10_000

    /// A translation's words as stored: trimmed and present.
    public static func checked(_ raw: String) throws(TranslationError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        guard text.count <= maximumLength else { throw .tooLong }
        return text
    }
}

/// Why a translation was refused.
public enum TranslationError: Error, Equatable {
    case empty
    case tooLong
}

/// Where a text stands in one language.
public enum TranslationState: String, Sendable, Codable, CaseIterable {
    case missing
    /// Translated from the words shown today.
    case current
    /// Translated from earlier words: the original changed since.
    case outdated

    public init(_ translation: ContentTranslation?, source: String) {
        guard let translation else { self = .missing; return }
        self = translation.source == source ? .current : .outdated
    }
}

/// Admin-written texts in a reader's language, falling back to the content language where no current translation
/// exists, and saying so (pages mark the fallback with its language; agents are told what the customer saw).
public struct TranslatedTexts: Sendable {
    public let language: String
    public let contentLanguage: String
    private let byKey: [String: ContentTranslation]

    /// The words to show and the language they are in.
    public struct Shown: Sendable, Equatable {
        public var text: String
        public var language: String
        public var fellBack: Bool
    }

    public init(language: String, contentLanguage: String, translations: [ContentTranslation]) {
        self.language = language
        self.contentLanguage = contentLanguage
        self.byKey = Dictionary(translations.filter { $0.language == language }.map { (Self.key($0.kind, $0.itemID, $0.field), $0) },
                                uniquingKeysWith: { first, _ in first })
    }

    /// Shows everything in the content language: for a reader who reads it, or where nothing is translated.
    public static func untranslated(contentLanguage: String) -> TranslatedTexts {
        TranslatedTexts(language: contentLanguage, contentLanguage: contentLanguage, translations: [])
    }

    public func text(_ kind: TranslatableKind, _ itemID: UUID, _ field: String, source: String) -> Shown {
        guard language != contentLanguage else { return Shown(text: source, language: contentLanguage, fellBack: false) }
        if let translation = byKey[Self.key(kind, itemID, field)], TranslationState(translation, source: source) == .current {
            return Shown(text: translation.text, language: language, fellBack: false)
        }
        return Shown(text: source, language: contentLanguage, fellBack: true)
    }

    private static func key(_ kind: TranslatableKind, _ itemID: UUID, _ field: String) -> String {
        "\(kind.rawValue)|\(itemID.uuidString)|\(field)"
    }
}
