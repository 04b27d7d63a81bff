import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Groups at each support tier, with renaming, moving and retiring.
struct GroupsAdminPage: AdminPage {
    let name = "groups"
    let title = "Groups and tiers"
    let intro = "The teams cases are routed to, at each support tier."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        let sql = req.store.sql
        page.columns = [t("Group"), t("Tier"), t("Members"), t("Open cases"), t("State")]
        let rows = try await GroupMembershipRepository.summaries(openStatuses: DeskQueue.activeStatuses, on: sql)
        page.rows = rows.map {
            [.init(text: $0.name), .init(text: "L\($0.tier)"), .init(text: String($0.members)), .init(text: String($0.openCases)),
             .init(text: $0.retiredAt == nil ? t("taking cases") : t("retired"))]
        }
        let tiers: [AdminSection.Option] = (1...9).map { .init(value: String($0), label: "L\($0)") }
        page.forms = [.init(id: "add-group", title: t("Add a group"), action: "/admin/groups", fields: [
            .init("name", t("Name"), required: true), .init("tier", t("Tier"), type: "select", required: true, options: tiers),
            .init("description", t("Description"), type: "textarea"),
        ], submit: t("Add group")), .init(id: "change-group", title: t("Rename, move or retire a group"), action: "/admin/groups/change", fields: [
            .init("entry", t("Group"), type: "select", required: true, options: rows.map { .init(value: $0.id.uuidString.lowercased(), label: $0.name) }),
            .init("name", t("New name")), .init("tier", t("Tier"), type: "select", options: [.init(value: "", label: t("leave as it is"))] + tiers),
            AdminController.retirement(t),
        ], submit: t("Change group"))]
    }
}
