import CasebookCore
import Foundation

/// What `/admin/translations` shows: a tab per language with what is left to do, a filter by kind, and the texts
/// grouped by the item they belong to.
struct TranslationsPage: Encodable {
    var page: PageChrome
    var intro: String
    var language: String
    var languageName: String
    var contentLanguage: String
    var languages: [Link]
    var kinds: [Link]
    var showTodo: Link
    var showAll: Link
    var groups: [Group]
    var back: String
    /// Knowledge articles are translated as articles of their own: those with no version in this language.
    var articles: [Article] = []
    var articlesHeading: String = ""

    struct Article: Encodable {
        var title: String
        var href: String
        var language: String
    }

    struct Link: Encodable {
        var label: String
        var href: String
        var active: Bool
    }

    struct Group: Encodable {
        var heading: String
        var entries: [Entry]
    }

    struct Entry: Encodable {
        var anchor: String
        var kind: String
        var item: String
        var field: String
        var fieldLabel: String
        var source: String
        var state: String
        var stateLabel: String
        var text: String
        var earlier: String?
        var hasTranslation: Bool
        var error: String?
        var long: Bool
    }

    /// A form the API refused, shown again once with what was typed.
    struct Refused: Codable {
        var anchor: String
        var typed: String
        var message: String
    }

    static func anchor(_ kind: String, _ item: String, _ field: String) -> String {
        "tr-" + [kind, item.lowercased(), field].joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "-" }.joined()
    }

    static func build(_ shown: [TranslationEntry], counts all: [TranslationEntry], chrome: PageChrome, language: String, kind: TranslatableKind?,
                      everything: Bool, content: String, targets: [String], refused: Refused?, query: String?) -> TranslationsPage {
        let t = chrome.t
        func href(language: String, kind: TranslatableKind?, everything: Bool) -> String {
            var parts = ["language=" + language]
            if let kind { parts.append("kind=" + kind.rawValue) }
            if everything { parts.append("show=all") }
            return "/admin/translations?" + parts.joined(separator: "&")
        }
        let languages = targets.map { target -> Link in
            let todo = all.filter { $0.language == target && $0.state != .current }.count
            let label = (WebText.nativeNames[target] ?? target) + " — "
                + PageChrome.counted("translations_todo", count: todo, "\(todo) to do", strings: t, language: chrome.lang)
            return Link(label: label, href: href(language: target, kind: kind, everything: everything), active: target == language)
        }
        let kinds = [Link(label: t["translations_kind_all"] ?? "All", href: href(language: language, kind: nil, everything: everything), active: kind == nil)]
            + TranslatableKind.allCases.map {
                Link(label: t["translations_kind_" + $0.rawValue] ?? $0.rawValue, href: href(language: language, kind: $0, everything: everything), active: kind == $0)
            }
        var groups: [Group] = []
        for entry in shown {
            let heading = PlaceholderTemplate.render(t["translations_item_" + entry.kind.rawValue] ?? "{{name}}", values: ["name": entry.item])
            let anchor = Self.anchor(entry.kind.rawValue, entry.itemID.uuidString, entry.field)
            let mine = refused?.anchor == anchor ? refused : nil
            let row = Entry(
                anchor: anchor, kind: entry.kind.rawValue, item: entry.itemID.uuidString.lowercased(), field: entry.field,
                fieldLabel: fieldLabel(entry.field, t: t), source: entry.source, state: entry.state.rawValue,
                stateLabel: t["translations_state_" + entry.state.rawValue] ?? entry.state.rawValue,
                text: mine?.typed ?? (entry.state == .current ? entry.text ?? "" : ""), earlier: entry.state == .outdated ? entry.text : nil,
                hasTranslation: entry.text != nil, error: mine?.message, long: entry.source.count > 120)
            if groups.last?.heading == heading { groups[groups.count - 1].entries.append(row) } else { groups.append(Group(heading: heading, entries: [row])) }
        }
        let languageName = WebText.nativeNames[language] ?? language
        return TranslationsPage(
            page: chrome,
            intro: PlaceholderTemplate.render(t["translations_intro"] ?? "", values: ["content": WebText.nativeNames[content] ?? content]),
            language: language, languageName: languageName, contentLanguage: content, languages: languages, kinds: kinds,
            showTodo: Link(label: t["translations_show_todo"] ?? "Missing or out of date", href: href(language: language, kind: kind, everything: false), active: !everything),
            showAll: Link(label: t["translations_show_all"] ?? "Everything", href: href(language: language, kind: kind, everything: true), active: everything),
            groups: groups, back: "/admin/translations" + (query.map { "?" + $0 } ?? ""))
    }

    /// "Name", "Question “serial”", "Choice 2 of “model”": which text of the item this is.
    static func fieldLabel(_ field: String, t: [String: String]) -> String {
        let parts = field.split(separator: ".").map(String.init)
        guard parts.count >= 2 else { return t["translations_field_" + field] ?? field }
        let key = parts[0]
        switch parts[1] {
        case "label": return PlaceholderTemplate.render(t["translations_field_label"] ?? "Question “{{key}}”", values: ["key": key])
        case "why": return PlaceholderTemplate.render(t["translations_field_why"] ?? "Why we ask “{{key}}”", values: ["key": key])
        default:
            let number = parts.count > 2 ? (Int(parts[2]).map { String($0 + 1) } ?? parts[2]) : "?"
            return PlaceholderTemplate.render(t["translations_field_option"] ?? "Choice {{n}} of “{{key}}”", values: ["key": key, "n": number])
        }
    }
}
