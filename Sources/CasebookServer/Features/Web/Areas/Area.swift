import CasebookCore
import Vapor

/// The product's sections, in the order the navigation shows them after the desk.
enum PageSection: String, CaseIterable, Sendable {
    case desk, customers, knowledge, problems, equipment, reports, admin

    var title: String {
        switch self {
        case .desk: return "Desk"
        case .customers: return "Customers"
        case .knowledge: return "Knowledge"
        case .problems: return "Problems"
        case .equipment: return "Equipment"
        case .reports: return "Reports"
        case .admin: return "Admin"
        }
    }

    var intro: String {
        switch self {
        case .desk: return "Cases and the work on them."
        case .customers: return "The organisations you support: their accounts, contracts and how much they need you."
        case .knowledge: return "Articles that answer customers before they ask, written and reviewed here."
        case .problems: return "What lies behind many cases: problem records, root-cause reports, early warnings and notices."
        case .equipment: return "What your customers run: assets, maintenance, work orders, parts and repairs."
        case .reports: return "How the team is doing: volumes, responsiveness, service levels and satisfaction."
        case .admin: return "Everything the desk is set up with."
        }
    }

    var path: String { "/" + rawValue }
}

/// One area of the product as pages: a list, a page per entry, and forms that post through the API. Everything an
/// area shows or changes goes through its API operations (`InProcessAPI`), so pages and API never disagree.
struct Area: Sendable {
    var section: PageSection
    var name: String
    var title: String
    var intro: String
    /// Who may open the area (the API decides again for every call).
    var access: AccessAction
    /// Who may create, edit and act; forms are shown only to them.
    var write: AccessAction
    /// The collection's API path; an entry is `api/{id}` unless `entryAPI` says otherwise.
    var api: String
    var filters: [AreaField] = []
    /// Query members every list call sends besides the filters (an admin's list of everyone's sessions).
    var listQuery: [String: String] = [:]
    var columns: [AreaColumn]
    var hasEntries = true
    /// Whether the area has a list page of its own (the work on one case is reached from that case).
    var hasList = true
    var entryAPI: String?
    /// The key naming an entry in its heading.
    var titleKey = "name"
    var create: AreaForm?
    var edit: AreaForm?
    var actions: [AreaAction] = []
    /// Forms on the list page that act on the whole area (plan maintenance now, import a file); each names its API path.
    var commands: [AreaAction] = []
    /// More of an entry, read from other operations ("{id}" is the entry's id): an organisation's account, for instance.
    var related: [AreaRelated] = []
    /// Links shown on an entry's page (path templates with "{id}").
    var links: [AreaLink] = []
    /// Links shown on the list page (a calendar feed, a download).
    var listLinks: [AreaLink] = []
    /// Keys an entry's page leaves out (large bodies shown elsewhere, internal fields).
    var hiddenKeys: Set<String> = []
    /// An entry's page shows only the columns' keys (a case has far more than its work page needs).
    var factsFromColumnsOnly = false

    var path: String { section.path + "/" + name }

    func entryPath(_ id: String) -> String { (entryAPI ?? api + "/{id}").replacingOccurrences(of: "{id}", with: id) }
}

/// One column of an area's list: the title and the JSON key it shows.
struct AreaColumn: Sendable {
    var title: String
    var key: String
    var link: AreaCellLink = .none

    init(_ title: String, _ key: String, link: AreaCellLink = .none) {
        self.title = title
        self.key = key
        self.link = link
    }
}

/// Where a cell leads.
enum AreaCellLink: Sendable {
    case none
    /// The entry's own page.
    case entry
    /// The desk's page of the case this value names.
    case casePage
    /// Another area's entry page, named by this value's id.
    case area(String)
}

/// A form that posts to one API operation. `path` has "{id}" for the entry; nil means the area's own create or edit path.
struct AreaForm: Sendable {
    var title: String
    var submit: String
    var method: HTTPMethod = .POST
    var path: String?
    var fields: [AreaField]
    var intro: String?
    /// An edit that sends every field, for operations that replace the whole record rather than patch it.
    var sendsEverything = false
    /// What a fresh create form shows before anything is typed ("on" ticks a checkbox): safe choices ticked from the start.
    var starting: [String: String] = [:]
}

/// A button (with an optional small form) on an entry's page: approve, retry, release a fix.
struct AreaAction: Sendable {
    var name: String
    var form: AreaForm
    /// Shown only when the entry's value at `key` is one of `values`.
    var when: (key: String, values: [String])?
    /// Who may press it, when not the area's writers.
    var access: AccessAction?
    var done: String = "Done."
    /// Shows what the operation answered on the entry's page (a dry run) instead of only a note.
    var showsResult = false
    /// Goes back to the list afterwards (the entry is gone: a delete).
    var returnsToList = false
    /// JSON members sent besides the form's fields ("{id}" is the entry's id): the case a new report is about.
    var extra: [String: String] = [:]
    /// Where to go after success, from the answer (a drafted article's page); nil keeps the entry's page.
    var redirect: (@Sendable (PageJSON) -> String?)?
}

/// A panel of an entry's page read from another operation.
struct AreaRelated: Sendable {
    var title: String
    var path: String
    var query: [String: String] = [:]
    /// A 404 means "none" (a case without a problem), not a missing page.
    var optional = false
}

/// A link on an entry's page.
struct AreaLink: Sendable {
    var title: String
    var path: String
}

/// One field of a form: its JSON key (dotted for nested objects), label and how it is typed.
struct AreaField: Sendable {
    enum Kind: Sendable, Equatable {
        case text, textarea, number, date, checkbox, select
        /// A password or secret: typed unseen, and never written back into a form shown again.
        case password
        /// One string per line, sent as a JSON list.
        case lines
        /// Structure edited as JSON (conditions, targets, periods).
        case json
        /// The whole request body as text (an ICS file, for instance).
        case body(HTTPMediaType)
    }

    var key: String
    var label: String
    var kind: Kind = .text
    var required = false
    var help: String?
    var options: [AreaOption] = []
    /// Choices read from the API: the list at `api`, each item's `value` and `label` keys.
    var source: AreaOptionSource?
    var placeholder: String?

    init(_ key: String, _ label: String, _ kind: Kind = .text, required: Bool = false, help: String? = nil,
         options: [AreaOption] = [], source: AreaOptionSource? = nil, placeholder: String? = nil) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.help = help
        self.options = options
        self.source = source
        self.placeholder = placeholder
    }

    /// A select over fixed values, each shown as written with underscores as spaces.
    static func choice(_ key: String, _ label: String, _ values: [String], required: Bool = false, blank: String? = nil, help: String? = nil) -> AreaField {
        let options = (blank.map { [AreaOption(value: "", label: $0)] } ?? []) + values.map { AreaOption(value: $0, label: $0.replacingOccurrences(of: "_", with: " ")) }
        return AreaField(key, label, .select, required: required, help: help, options: options)
    }

    /// A select over another collection (calendars, organisations, products).
    static func pick(_ key: String, _ label: String, from api: String, labelKey: String = "name", nested: String? = nil,
                     query: [String: String] = [:], required: Bool = false, help: String? = nil) -> AreaField {
        AreaField(key, label, .select, required: required, help: help, options: required ? [] : [AreaOption(value: "", label: "—")],
                  source: AreaOptionSource(api: api, label: labelKey, nested: nested, query: query))
    }
}

struct AreaOption: Sendable {
    var value: String
    var label: String
}

struct AreaOptionSource: Sendable {
    var api: String
    var value = "id"
    var label = "name"
    /// Choices inside each item (a product's versions), labelled with the item's label first.
    var nested: String?
    var query: [String: String] = [:]
}
