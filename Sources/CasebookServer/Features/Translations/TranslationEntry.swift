import CasebookCore
import Foundation
import Vapor

/// One admin-written text and where its translation into one language stands, as the API and the page show it.
struct TranslationEntry: Content, Sendable {
    var kind: TranslatableKind
    var itemID: UUID
    /// What the item is called (the category or problem).
    var item: String
    var field: String
    /// The original, in the content language.
    var source: String
    var sourceLanguage: String
    var language: String
    /// The translation kept, also when it is out of date (the original changed since).
    var text: String?
    var state: TranslationState

    enum CodingKeys: String, CodingKey {
        case kind, item, field, source, language, text, state
        case itemID = "item_id", sourceLanguage = "source_language"
    }

    init(_ original: TranslatableText, sourceLanguage: String, language: String, translation: ContentTranslation?) {
        kind = original.kind
        itemID = original.itemID
        item = original.item
        field = original.field
        source = original.source
        self.sourceLanguage = sourceLanguage
        self.language = language
        text = translation?.text
        state = TranslationState(translation, source: original.source)
    }
}

/// The body of `PUT /translations/{kind}/{item_id}/{field}/{language}`.
struct TranslationWrite: Content {
    var text: String?
}
