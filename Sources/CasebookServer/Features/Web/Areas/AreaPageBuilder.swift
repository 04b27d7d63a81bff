import CasebookCore
import Foundation
import Vapor

/// Builds an area's pages from what its API operations answer.
struct AreaPageBuilder {
    let req: Request
    let area: Area

    private var api: InProcessAPI { InProcessAPI(req: req) }
    /// The reader's words; `area` is already in them, this is for labels read from the API's member names.
    var text: AreaText { AreaText(req) }

    private var crumbs: [AreaView.Link] {
        [AreaView.Link(title: area.section.title(text), href: area.section.path)]
    }

    private var mayWrite: Bool {
        guard let actor = try? req.actor else { return false }
        return AccessPolicy.decide(area.write, for: actor) == .allowed
    }

    /// The list, its filters and (for writers) the create form.
    func list(failed: AreaController.FailedForm?) async throws -> AreaView {
        let filterValues = Dictionary(area.filters.compactMap { field in req.query[String.self, at: field.key].map { (field.key, $0) } }) { first, _ in first }
        let query = filterValues.filter { !$0.value.isEmpty }
        let answer = try await api.get(area.api, query: area.listQuery.merging(query) { _, chosen in chosen })
        let items = answer.items
        let names = try await RecordNamesForPages.load(in: items, keys: area.columns.map(\.key), on: req)
        var view = AreaView(page: req.chrome(area.title, area: area.section.rawValue), crumbs: crumbs,
                            heading: area.title, intro: area.intro, message: failed?.problem.detail)
        view.links = area.listLinks.map { AreaView.Link(title: $0.title, href: $0.path) }
        if !area.filters.isEmpty {
            view.filters = AreaView.FormView(id: "filter", form: AreaForm(title: req.text("area_filter", "Filter"), submit: req.text("area_filter_show", "Show"), fields: area.filters), action: area.path,
                                             values: filterValues, options: try await options(for: area.filters), isGet: true)
        }
        let rowActions = area.hasEntries || !mayWrite ? [] : area.actions.filter { $0.form.fields.isEmpty }
        view.table = AreaView.TableView(
            title: nil, caption: area.title, columns: area.columns.map(\.title) + (rowActions.isEmpty ? [] : [req.text("area_actions", "Actions")]),
            rows: items.map { item in
                let cells = area.columns.map { cell(item, $0, names: names) }
                guard !rowActions.isEmpty, let id = item["id"]?.string else { return cells }
                let buttons = rowActions.filter { applies($0, to: item) }
                    .map { AreaView.Cell(text: $0.form.submit, action: area.path + "/" + id + "/" + $0.name) }
                return cells + [AreaView.Cell(text: "", actions: buttons)]
            },
            empty: query.isEmpty ? req.text("area_empty", "Nothing here yet.") : req.text("area_empty_filtered", "Nothing matches this filter."))
        if case .object = answer {
            // A report answers with one record of figures rather than a list.
            view.table = nil
            view.panels = panels(titled: area.title, answer, names: try await RecordNamesForPages.load(in: [answer], on: req))
        }
        for command in area.commands where applies(command, to: .null) && mayAct(command) {
            let formID = "command-" + command.name
            view.forms.append(AreaView.FormView(id: formID, form: command.form, action: area.path + "/run/" + command.name,
                                                values: failed?.formID == formID ? failed!.values : [:], options: try await options(for: command.form.fields),
                                                problem: failed?.formID == formID ? failed?.problem : nil))
        }
        if let form = area.create, mayWrite {
            let values = failed?.formID == "create" ? failed!.values : form.starting
            var create = AreaView.FormView(id: "create", form: form, action: area.path, values: values,
                                           options: try await options(for: form.fields), problem: failed?.formID == "create" ? failed?.problem : nil)
            create.collapsed = !items.isEmpty && create.error == nil
            view.forms.append(create)
        }
        return view
    }

    /// One entry: its facts, related panels, the edit form and the actions that apply to it now.
    func entry(id: String, failed: AreaController.FailedForm?) async throws -> AreaView {
        let entry = try await api.get(area.entryPath(id))
        let heading = entry[area.titleKey]?.string ?? entry["title"]?.string ?? entry["reference"]?.string ?? area.title
        let names = try await RecordNamesForPages.load(in: [entry], on: req)
        var view = AreaView(page: req.chrome(heading, area: area.section.rawValue),
                            crumbs: crumbs + (area.hasList ? [AreaView.Link(title: area.title, href: area.path)] : []), heading: heading, intro: "",
                            message: failed?.problem.detail)
        view.links = area.links.map { AreaView.Link(title: $0.title, href: $0.path.replacingOccurrences(of: "{id}", with: id)) }
        (view.facts, view.panels) = facts(of: entry, names: names)
        for related in area.related {
            let path = related.path.replacingOccurrences(of: "{id}", with: id)
            let answer = try await api.call(.GET, path, query: related.query.mapValues { $0.replacingOccurrences(of: "{id}", with: id) })
            if related.optional, answer.status == .notFound {
                view.panels.append(AreaView.TableView(title: related.title, caption: related.title, columns: [], rows: [], empty: req.text("area_none", "None.")))
                continue
            }
            if let problem = answer.problem { throw problem.abort }
            let json = answer.json ?? .null
            view.panels += panels(titled: related.title, json, names: try await RecordNamesForPages.load(in: [json], on: req))
        }
        guard mayWrite else { return view }
        if let form = area.edit {
            let values = failed?.formID == "edit" ? failed!.values : AreaFormBody.values(for: form.fields, from: entry)
            var edit = AreaView.FormView(id: "edit", form: form, action: area.path + "/" + id, values: values,
                                         options: try await options(for: form.fields), problem: failed?.formID == "edit" ? failed?.problem : nil)
            edit.collapsed = edit.error == nil
            view.forms.append(edit)
        }
        for action in area.actions where applies(action, to: entry) {
            let formID = "action-" + action.name
            view.forms.append(AreaView.FormView(id: formID, form: action.form, action: area.path + "/" + id + "/" + action.name,
                                                values: failed?.formID == formID ? failed!.values : [:], options: try await options(for: action.form.fields, entryID: id),
                                                problem: failed?.formID == formID ? failed?.problem : nil))
        }
        return view
    }

    private func mayAct(_ action: AreaAction) -> Bool {
        guard let actor = try? req.actor else { return false }
        return AccessPolicy.decide(action.access ?? area.write, for: actor) == .allowed
    }

    private func applies(_ action: AreaAction, to entry: PageJSON) -> Bool {
        if let access = action.access, let actor = try? req.actor, AccessPolicy.decide(access, for: actor) != .allowed { return false }
        guard let when = action.when else { return true }
        let value = entry[when.key].map { $0 == .null ? "" : $0.string ?? $0.text } ?? ""
        return when.values.contains(value)
    }

    /// Choices for the fields that read them from the API, by field key.
    private func options(for fields: [AreaField], entryID: String? = nil) async throws -> [String: [AreaOption]] {
        var options: [String: [AreaOption]] = [:]
        for field in fields {
            guard let source = field.source else { continue }
            let items = try await api.get(source.api.replacingOccurrences(of: "{id}", with: entryID ?? ""), query: source.query).items
            options[field.key] = field.options + items.flatMap { item -> [AreaOption] in
                let label = item[source.label]?.text ?? ""
                let choices = source.nested.map { item[$0]?.items ?? [] } ?? [item]
                return choices.compactMap { choice in
                    guard let value = choice[source.value]?.string else { return nil }
                    let own = choice[source.label]?.text ?? value
                    return AreaOption(value: value, label: source.nested == nil ? own : label + " " + own)
                }
            }
        }
        return options
    }

    func cell(_ item: PageJSON, _ column: AreaColumn, names: [String: String]) -> AreaView.Cell {
        let value = item[column.key] ?? .null
        let raw = value.string ?? value.text
        let text = names[raw] ?? self.text.value(value)
        switch column.link {
        case .none: return AreaView.Cell(text: text)
        case .entry: return AreaView.Cell(text: text, href: item["id"]?.string.map { area.path + "/" + $0 })
        case .casePage: return AreaView.Cell(text: text, href: value.string.map { "/desk/cases/" + $0 })
        case let .area(path): return AreaView.Cell(text: text, href: value.string.map { path + "/" + $0 })
        }
    }
}
