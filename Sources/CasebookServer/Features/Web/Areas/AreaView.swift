import Foundation

/// What `area.leaf` renders: a section index, an area's list, or one entry, each with its forms.
struct AreaView: Encodable {
    var page: PageChrome
    var crumbs: [Link]
    var heading: String
    var intro: String
    var message: String?
    var links: [Link] = []
    var cards: [Card] = []
    var filters: FormView?
    var table: TableView?
    var facts: [Fact] = []
    var panels: [TableView] = []
    var forms: [FormView] = []

    struct Link: Encodable {
        var title: String
        var href: String
    }

    /// A section's area, as its index shows it.
    struct Card: Encodable {
        var title: String
        var href: String
        var intro: String
    }

    struct Fact: Encodable {
        var label: String
        var text: String
        var href: String?
        var isLong: Bool
        /// Sentences of their own (an import's notes), shown as a list rather than run together with commas.
        var items: [String] = []
        /// Many lines (a certificate, a long template): folded so the rest of the page stays in view.
        var isFolded: Bool { text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count > 6 }

        enum CodingKeys: String, CodingKey { case label, text, href, isLong, isFolded, items }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(label, forKey: .label)
            try container.encode(text, forKey: .text)
            try container.encodeIfPresent(href, forKey: .href)
            try container.encode(isLong, forKey: .isLong)
            try container.encode(isFolded, forKey: .isFolded)
            try container.encode(items, forKey: .items)
        }
    }

    struct TableView: Encodable {
        var title: String?
        var caption: String
        var columns: [String]
        var rows: [[Cell]]
        var empty: String
        /// A record's plain values, shown as facts instead of rows.
        var facts: [Fact] = []
    }

    struct Cell: Encodable {
        var text: String
        var href: String?
        /// A button posting to this path (a row's action: retry, release).
        var action: String?
        var actions: [Cell] = []
    }

    struct FormView: Encodable {
        var id: String
        var title: String
        var intro: String?
        var action: String
        var isGet: Bool
        var submit: String
        var fields: [FieldView]
        var error: String?
        /// Folded away until opened: a create form under a list that already has entries.
        var collapsed = false
    }

    struct FieldView: Encodable {
        var id: String
        var name: String
        var label: String
        var type: String
        var required: Bool
        var value: String
        var checked: Bool
        var options: [OptionView]
        var isSelect: Bool
        var isTextArea: Bool
        var isCheckbox: Bool
        var rows: Int
        var help: String?
        var error: String?
        var placeholder: String?
    }

    struct OptionView: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }
}

extension AreaView.FormView {
    /// A form's view with its current values and, after a refusal, the problem beside the fields it names.
    init(id: String, form: AreaForm, action: String, values: [String: String], options: [String: [AreaOption]],
         problem: PageProblem? = nil, isGet: Bool = false) {
        self.id = id
        title = form.title
        intro = form.intro
        self.action = action
        self.isGet = isGet
        submit = form.submit
        error = problem?.detail
        fields = form.fields.map { field in
            let value = field.kind == .password ? "" : values[field.key] ?? ""
            let choices = options[field.key] ?? field.options
            let type: String
            switch field.kind {
            case .number: type = "number"
            case .date: type = "date"
            case .checkbox: type = "checkbox"
            case .password: type = "password"
            default: type = "text"
            }
            let multiline: Bool
            switch field.kind {
            case .textarea, .lines, .json, .body: multiline = true
            default: multiline = false
            }
            return AreaView.FieldView(
                id: "\(id)-\(field.key.replacingOccurrences(of: ".", with: "-"))", name: field.key, label: field.label, type: type,
                required: field.required, value: value, checked: field.kind == .checkbox && value == "on",
                options: choices.map { AreaView.OptionView(value: $0.value, label: $0.label, selected: $0.value == value) },
                isSelect: field.kind == .select, isTextArea: multiline, isCheckbox: field.kind == .checkbox,
                rows: multiline && field.kind != .textarea && field.kind != .lines ? 10 : 5, help: field.help,
                error: problem?.fields[field.key] ?? problem?.fields.first(where: { $0.key.hasPrefix(field.key + ".") || $0.key.hasPrefix(field.key + "[") })?.value,
                placeholder: field.placeholder)
        }
    }
}
