import CasebookCore
import Foundation
import Vapor

/// Every area with pages beyond the desk, the portal and the first admin pages, by section.
enum AreaCatalog {
    static let all: [Area] = CustomerAreas.all + PeopleAreas.all + KnowledgeAreas.all + ProblemAreas.all + EquipmentAreas.all + ReportAreas.all
        + ServiceLevelAreas.all + OperationsAreas.all + IntegrationAreas.all + SecurityAreas.all + PrivacyAreas.all + [CannedResponseAreas.canned, CaseWorkArea.area, WeeklyReportArea.area]

    /// The header's links for this actor: the desk, then each section with something they may open.
    static func navigation(for actor: Actor, t: [String: String] = [:]) -> [NavItem] {
        var items = [NavItem(key: "desk", title: t["nav_desk"] ?? "Desk", href: "/desk")]
        for section in PageSection.allCases where section != .desk {
            let open = all.contains { $0.section == section && AccessPolicy.decide($0.access, for: actor) == .allowed }
            if section == .admin ? actor.role == .admin : open {
                items.append(NavItem(key: section.rawValue, title: t["nav_" + section.rawValue] ?? section.title, href: section.path))
            }
        }
        return items
    }
}

extension AreaCatalog {
    /// Every API operation the area pages call, as "METHOD /path" with path parameters written "{}" (for the coverage check).
    static var operations: Set<String> {
        var result = Set<String>()
        func add(_ method: HTTPMethod, _ path: String) {
            let bare = path.split(separator: "?").first.map(String.init) ?? path
            guard bare.hasPrefix("/api/") else { return }
            result.insert(method.rawValue + " " + bare.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression))
        }
        for area in all {
            let entry = area.entryPath("{id}")
            if area.hasList { add(.GET, area.api) }
            if area.hasEntries { add(.GET, entry) }
            var fields = area.filters
            if let form = area.create { add(form.method, form.path ?? area.api); fields += form.fields }
            if let form = area.edit { add(form.method, form.path ?? entry); fields += form.fields }
            for action in area.actions { add(action.form.method, action.form.path ?? entry + "/" + action.name); fields += action.form.fields }
            for command in area.commands { add(command.form.method, command.form.path ?? area.api); fields += command.form.fields }
            for related in area.related { add(.GET, related.path) }
            for link in area.links + area.listLinks { add(.GET, link.path) }
            for field in fields { if let source = field.source { add(.GET, source.api) } }
        }
        return result
    }
}

/// One link of the header's navigation; `key` matches the page's area so the current section is marked.
struct NavItem: Encodable, Sendable {
    var key: String
    var title: String
    var href: String
}
