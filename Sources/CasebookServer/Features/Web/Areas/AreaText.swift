import CasebookCore
import Foundation
import Vapor

/// The words of area pages in the reader's language. Areas are written in English where they are defined, so a
/// definition reads as the page does; each English text is looked up in the catalogs under a key made from it
/// (`area_add_a_policy_1c9e2f0a`). A changed English text gets a new key, so its translations must be written again
/// rather than silently showing words that no longer match.
struct AreaText: Sendable {
    /// The reader's catalog.
    let strings: [String: String]

    init(strings: [String: String]) {
        self.strings = strings
    }

    init(_ req: Request) {
        self.strings = req.application.webText.strings(req.webLanguage())
    }

    /// The English text in the reader's language, or as written when the catalog has no entry.
    func callAsFunction(_ english: String) -> String {
        english.isEmpty ? english : strings[Self.key(english)] ?? english
    }

    /// The English text with `{{name}}` placeholders, in the reader's language and filled in.
    func callAsFunction(_ english: String, _ values: [String: String]) -> String {
        PlaceholderTemplate.render(self(english), values: values)
    }

    /// The label of a JSON member (`created_at` → "Created at"), from the catalog's `label_<member>` entry.
    func label(_ member: String) -> String {
        strings[Self.labelKey(member)] ?? PageJSON.label(member)
    }

    /// A value as a cell shows it, in the reader's words where it is one of the product's own: yes and no, and a state
    /// or kind written as a lower-case token (`pending_vendor` → "pending vendor" → "pendiente del proveedor"). Names,
    /// numbers and free text stay as they are.
    func value(_ json: PageJSON) -> String {
        switch json {
        case let .bool(flag): return self(flag ? "yes" : "no")
        case let .string(token) where Self.isToken(token):
            let words = token.replacingOccurrences(of: "_", with: " ")
            return strings[Self.key(words)] ?? json.text
        default: return json.text
        }
    }

    /// A state or kind as the API writes it: lower-case words joined by underscores, short. Checked per cell, so
    /// without a regular expression.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.first != "_" && text.last != "_" && !text.contains("__")
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }
    }

    /// The catalog key of an English text: its first words, then a hash of the whole so two texts never share a key.
    static func key(_ english: String) -> String {
        var slug = ""
        var gap = false
        for scalar in english.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if gap, !slug.isEmpty { slug += "_" }
                slug.unicodeScalars.append(scalar)
                gap = false
            } else {
                gap = true
            }
            if slug.count >= 32 { break }
        }
        return "area_" + (slug.isEmpty ? "" : slug + "_") + StableHash.fnv1a32(english)
    }

    /// The catalog key of a JSON member's label.
    static func labelKey(_ member: String) -> String { "label_" + member }
}

extension Area {
    /// This area with every text a person reads passed through `text` (titles, intros, columns, fields, options,
    /// buttons, notes): the one place that knows which of an area's strings are words rather than keys or paths.
    func mapTexts(_ text: (String) -> String) -> Area {
        var area = self
        area.title = text(title)
        area.intro = text(intro)
        area.filters = filters.map { $0.mapTexts(text) }
        area.columns = columns.map { AreaColumn(text($0.title), $0.key, link: $0.link) }
        area.create = create?.mapTexts(text)
        area.edit = edit?.mapTexts(text)
        area.actions = actions.map { $0.mapTexts(text) }
        area.commands = commands.map { $0.mapTexts(text) }
        area.related = related.map { var related = $0; related.title = text($0.title); return related }
        area.links = links.map { AreaLink(title: text($0.title), path: $0.path) }
        area.listLinks = listLinks.map { AreaLink(title: text($0.title), path: $0.path) }
        return area
    }

    /// This area in the reader's language.
    func localised(_ text: AreaText) -> Area { mapTexts { text($0) } }

    /// Every text of this area a person reads, in English (what the catalogs must translate).
    var texts: [String] {
        var found: [String] = []
        _ = mapTexts { found.append($0); return $0 }
        return found.filter { !$0.isEmpty }
    }
}

extension AreaForm {
    func mapTexts(_ text: (String) -> String) -> AreaForm {
        var form = self
        form.title = text(title)
        form.submit = text(submit)
        form.intro = intro.map(text)
        form.fields = fields.map { $0.mapTexts(text) }
        return form
    }
}

extension AreaAction {
    func mapTexts(_ text: (String) -> String) -> AreaAction {
        var action = self
        action.form = form.mapTexts(text)
        action.done = text(done)
        return action
    }
}

extension AreaField {
    func mapTexts(_ text: (String) -> String) -> AreaField {
        var field = self
        field.label = text(label)
        field.help = help.map(text)
        // A placeholder is an example of what to type (a zone, a JSON shape): it stays as written.
        field.options = options.map { AreaOption(value: $0.value, label: text($0.label)) }
        return field
    }
}

extension PageSection {
    /// The section's name and introduction in the reader's language.
    func title(_ text: AreaText) -> String { text(title) }
    func intro(_ text: AreaText) -> String { text(intro) }
}
