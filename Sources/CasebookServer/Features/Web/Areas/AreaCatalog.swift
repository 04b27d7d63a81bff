import CasebookCore

/// Every area with pages beyond the desk, the portal and the first admin pages, by section.
enum AreaCatalog {
    static let all: [Area] = CustomerAreas.all + PeopleAreas.all + KnowledgeAreas.all + ProblemAreas.all + EquipmentAreas.all + ReportAreas.all
        + ServiceLevelAreas.all + OperationsAreas.all + [CannedResponseAreas.canned, CaseWorkArea.area]

    /// The header's links for this actor: the desk, then each section with something they may open.
    static func navigation(for actor: Actor) -> [NavItem] {
        var items = [NavItem(key: "desk", title: "Desk", href: "/desk")]
        for section in PageSection.allCases where section != .desk {
            let open = all.contains { $0.section == section && AccessPolicy.decide($0.access, for: actor) == .allowed }
            if section == .admin ? actor.role == .admin : open {
                items.append(NavItem(key: section.rawValue, title: section.title, href: section.path))
            }
        }
        return items
    }
}

/// One link of the header's navigation; `key` matches the page's area so the current section is marked.
struct NavItem: Encodable, Sendable {
    var key: String
    var title: String
    var href: String
}
