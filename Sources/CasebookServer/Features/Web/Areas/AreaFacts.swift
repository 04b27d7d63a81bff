import Foundation
import SQLKit
import Vapor

extension AreaPageBuilder {
    /// Keys whose values name a case, so they link to the desk's case page.
    static let caseKeys: Set<String> = ["reference", "case_reference", "follow_up_case", "source_case", "incident"]

    /// An entry as facts (its plain values) and panels (its lists of records), the area's columns first.
    func facts(of entry: PageJSON, names: [String: String]) -> ([AreaView.Fact], [AreaView.TableView]) {
        let first = area.columns.map(\.key).filter { !$0.contains(".") }
        let keys = area.factsFromColumnsOnly ? first : first + entry.members.keys.sorted().filter { !first.contains($0) }
        var facts: [AreaView.Fact] = []
        var panels: [AreaView.TableView] = []
        for key in keys where key != "id" && !area.hiddenKeys.contains(key) {
            guard let value = entry.members[key] else { continue }
            let label = area.columns.first { $0.key == key }?.title ?? text.label(key)
            switch value {
            case let .array(items) where items.contains(where: { !$0.members.isEmpty }):
                panels.append(table(titled: label, items, names: names))
            case let .object(members) where members.values.allSatisfy({ $0.members.isEmpty && !$0.items.contains { !$0.members.isEmpty } }):
                facts += members.sorted { $0.key < $1.key }.map { fact(label + ": " + text.label($0.key), key: $0.key, $0.value, names: names) }
            case .object:
                facts.append(AreaView.Fact(label: label, text: value.json, href: nil, isLong: true))
            default:
                facts.append(fact(label, key: key, value, names: names))
            }
        }
        return (facts, panels)
    }

    /// A related operation's answer as panels: a list becomes one table, an object its facts and tables.
    func panels(titled title: String, _ json: PageJSON, names: [String: String]) -> [AreaView.TableView] {
        if case let .array(items) = json { return [table(titled: title, items, names: names)] }
        let scalars = json.members.filter { $0.value.members.isEmpty && !$0.value.items.contains { !$0.members.isEmpty } && $0.key != "organisation_id" }
        var summary = AreaView.TableView(title: title, caption: title, columns: [], rows: [], empty: req.text("area_nothing_recorded", "Nothing recorded."))
        summary.facts = scalars.sorted { $0.key < $1.key }.map { fact(text.label($0.key), key: $0.key, $0.value, names: names) }
        var result = [summary]
        for (key, value) in json.members.sorted(by: { $0.key < $1.key }) where value.items.contains(where: { !$0.members.isEmpty }) {
            result.append(table(titled: title + ": " + text.label(key), value.items, names: names))
        }
        return result
    }

    /// A list of records as a table whose columns are the keys they have (ids left out when there is anything else).
    func table(titled title: String, _ items: [PageJSON], names: [String: String]) -> AreaView.TableView {
        var keys = Set(items.flatMap { $0.members.keys })
        if keys.count > 1 { keys.remove("id") }
        let ordered = keys.sorted { (Self.caseKeys.contains($0) ? 0 : 1, $0) < (Self.caseKeys.contains($1) ? 0 : 1, $1) }
        return AreaView.TableView(title: title, caption: title, columns: ordered.map(text.label),
                                  rows: items.map { item in ordered.map { cell(for: $0, item[$0] ?? .null, names: names) } },
                                  empty: req.text("area_none", "None."))
    }

    private func fact(_ label: String, key: String, _ value: PageJSON, names: [String: String]) -> AreaView.Fact {
        let cell = cell(for: key, value, names: names)
        var fact = AreaView.Fact(label: label, text: cell.text, href: cell.href, isLong: cell.text.count > 80 || cell.text.contains("\n"))
        // A list of sentences reads as a list; a list of names or tags stays one line.
        let sentences = value.items.compactMap(\.string)
        if sentences.count == value.items.count, sentences.contains(where: { $0.contains(" ") }) {
            fact.items = sentences
            fact.isLong = true
        }
        return fact
    }

    private func cell(for key: String, _ value: PageJSON, names: [String: String]) -> AreaView.Cell {
        guard let text = value.string else {
            if case let .array(items) = value { return AreaView.Cell(text: items.isEmpty ? "—" : items.map { $0.string.flatMap { names[$0] } ?? $0.text }.joined(separator: ", ")) }
            return AreaView.Cell(text: self.text.value(value))
        }
        if Self.caseKeys.contains(key) { return AreaView.Cell(text: text, href: "/desk/cases/" + text) }
        // Only web addresses are links: an export's folder name is not, and no other scheme may run from a click.
        if key.hasSuffix("_url"), ["http://", "https://"].contains(where: { text.lowercased().hasPrefix($0) }) {
            return AreaView.Cell(text: text, href: text)
        }
        return AreaView.Cell(text: names[text] ?? self.text.value(value))
    }
}

/// Names for the ids an area page shows (organisations, people, products, calendars...), so nobody reads a UUID.
enum RecordNamesForPages {
    static let tables = RecordNameRepository.tables + ["business_calendars", "sla_policies", "assets", "maintenance_plans", "repair_vendors",
                                                     "webhook_subscriptions"]

    /// Names for the ids under `keys` of each item (every key when nil).
    static func load(in items: [PageJSON], keys: [String]? = nil, on req: Request) async throws -> [String: String] {
        var ids = Set<UUID>()
        func collect(_ value: PageJSON) {
            switch value {
            case let .string(text): if let id = UUID(uuidString: text) { ids.insert(id) }
            case let .array(items): items.forEach(collect)
            case let .object(members): members.forEach { if $0.key != "id" { collect($0.value) } }
            default: break
            }
        }
        for item in items {
            if let keys { keys.forEach { key in item[key].map(collect) } } else { collect(item) }
        }
        let names = try await RecordNameRepository.load(ids, from: tables, on: req.store.sql)
        // The API writes ids in capitals, forms and links in lower case: both spellings name the record.
        var byText: [String: String] = [:]
        for (id, name) in names {
            byText[id.uuidString] = name
            byText[id.uuidString.lowercased()] = name
        }
        return byText
    }
}
