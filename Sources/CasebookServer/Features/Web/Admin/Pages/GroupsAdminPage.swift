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
        let sql = req.store.sql
        page.columns = ["Group", "Tier", "Members", "Open cases", "State"]
        let rows = try await sql.raw("""
            SELECT g.id AS id, g.name AS name, g.tier AS tier, g.retired_at AS retired_at,
                   (SELECT COUNT(*) FROM group_memberships m WHERE m.group_id = g.id) AS members,
                   (SELECT COUNT(*) FROM cases c WHERE c.group_id = g.id AND c.status IN (\(binds: DeskQueue.activeStatuses))) AS open
            FROM groups g ORDER BY g.tier, g.name
            """).all()
        page.rows = try rows.map {
            [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: "L\(try $0.decode(column: "tier", as: Int.self))"),
             .init(text: String(try $0.decode(column: "members", as: Int.self))), .init(text: String(try $0.decode(column: "open", as: Int.self))),
             .init(text: try $0.decode(column: "retired_at", as: Date?.self) == nil ? "taking cases" : "retired")]
        }
        let tiers: [AdminSection.Option] = (1...9).map { .init(value: String($0), label: "L\($0)") }
        page.forms = [.init(id: "add-group", title: "Add a group", action: "/admin/groups", fields: [
            .init("name", "Name", required: true), .init("tier", "Tier", type: "select", required: true, options: tiers),
            .init("description", "Description", type: "textarea"),
        ], submit: "Add group"), .init(id: "change-group", title: "Rename, move or retire a group", action: "/admin/groups/change", fields: [
            .init("entry", "Group", type: "select", required: true, options: try rows.map {
                .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
            }),
            .init("name", "New name"), .init("tier", "Tier", type: "select", options: [.init(value: "", label: "leave as it is")] + tiers),
            AdminController.retirement,
        ], submit: "Change group")]
    }
}
