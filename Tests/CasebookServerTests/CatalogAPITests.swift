@testable import CasebookServer
import Foundation
import Testing
import Vapor

@Suite("Catalogue changes: renaming and retiring")
struct CatalogAPITests {
    @Test("a renamed product shows its new name; a retired one stays on its cases and is refused for new ones", arguments: TestDatabase.all)
    func productsAndVersions(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Routr"]).json["id"] as! String
            let old = try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "6.9"]).json["id"] as! String
            let current = try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "7.0"]).json["id"] as! String
            let created = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: [
                "subject": "Reboots", "description": "Every night", "product_version_id": old,
            ])
            #expect(created.status == .created, "\(created.text)")
            let reference = created.json["reference"] as! String

            let renamed = try await app.call(.PATCH, "/api/v1/products/\(product)", token: f.admin, json: ["name": "Router"])
            #expect(renamed.status == .ok && renamed.json["name"] as? String == "Router", "\(renamed.text)")
            let retiredVersion = try await app.call(.PATCH, "/api/v1/products/\(product)/versions/\(old)", token: f.admin,
                                                    json: ["retired": true, "released_on": "2024-05-01"])
            #expect(retiredVersion.status == .ok && retiredVersion.json["retired"] as? Bool == true, "\(retiredVersion.text)")
            #expect(retiredVersion.json["released_on"] as? String == "2024-05-01")

            let refused = try await app.call(.POST, "/api/v1/cases", token: f.customer, json: [
                "subject": "Reboots too", "description": "Same here", "product_version_id": old,
            ])
            #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.text.contains("retired"), "\(refused.text)")
            // The case that already names the version keeps it, and other changes to it still go through.
            let kept = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "priority": "high"])
            #expect(kept.status == .ok && kept.json["product_version_id"] as? String == old, "\(kept.text)")
            let moved = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 2, "product_version_id": current])
            #expect(moved.status == .ok, "\(moved.text)")
            let back = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 3, "product_version_id": old])
            #expect(back.status == .unprocessableEntity, "a retired version is not a new choice on an existing case either")

            // Intake offers current versions only.
            #expect(try await IntakeRepository.allVersions(on: app.casebook.store.sql).map(\.label) == ["Router 7.0"])

            // Retiring the product itself; bringing it back makes it a choice again.
            #expect(try await app.call(.PATCH, "/api/v1/products/\(product)", token: f.admin, json: ["retired": true]).json["retired"] as? Bool == true)
            let onProduct = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "x", "description": "y", "requester_id": f.customerID, "product_id": product,
            ])
            #expect(onProduct.status == .unprocessableEntity && onProduct.text.contains("product_id"))
            #expect(try await app.call(.PATCH, "/api/v1/products/\(product)", token: f.admin, json: ["retired": false]).json["retired"] as? Bool == false)
            #expect(try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                "subject": "x", "description": "y", "requester_id": f.customerID, "product_id": product,
            ]).status == .created)

            let listed = try await app.call(.GET, "/api/v1/products", token: f.agent).list
            let versions = listed.first?["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["retired"] as? Bool } == [true, false])
        }
    }

    @Test("categories and groups are renamed and retired the same way", arguments: TestDatabase.all)
    func categoriesAndGroups(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let category = try await app.call(.POST, "/api/v1/categories", token: f.admin, json: ["name": "Printing"]).json["id"] as! String
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L1 desk", "tier": 1]).json["id"] as! String

            let renamed = try await app.call(.PATCH, "/api/v1/categories/\(category)", token: f.admin,
                                             json: ["name": "Printers and scanners", "description": "Paper in, paper out"])
            #expect(renamed.status == .ok && renamed.json["description"] as? String == "Paper in, paper out", "\(renamed.text)")
            let regrouped = try await app.call(.PATCH, "/api/v1/groups/\(group)", token: f.admin,
                                               json: ["name": "Service desk", "tier": 2, "member_ids": [f.agentID]])
            #expect(regrouped.status == .ok && regrouped.json["tier"] as? Int == 2 && regrouped.json["member_ids"] as? [String] == [f.agentID],
                    "\(regrouped.text)")

            let reference = try await f.openCase(app)
            #expect(try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent,
                                       json: ["version": 1, "group_id": group, "category_id": category]).status == .ok)
            for (path, field) in [("categories/\(category)", "category_id"), ("groups/\(group)", "group_id")] {
                #expect(try await app.call(.PATCH, "/api/v1/\(path)", token: f.admin, json: ["retired": true]).json["retired"] as? Bool == true)
                let refused = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: [
                    "subject": "x", "description": "y", "requester_id": f.customerID, field: field == "group_id" ? group : category,
                ])
                #expect(refused.status == .unprocessableEntity && refused.text.contains(field), "\(refused.text)")
            }
            let kept = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent)
            #expect(kept.json["group_id"] as? String == group && kept.json["category_id"] as? String == category)
            let groups = try await app.call(.GET, "/api/v1/groups", token: f.agent).list
            #expect(groups.first { $0["id"] as? String == group }?["retired"] as? Bool == true)
        }
    }

    @Test("bad changes are refused with a problem and change nothing", arguments: TestDatabase.all)
    func badChanges(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Routr"]).json["id"] as! String
            _ = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Switch"])
            let other = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Phone"]).json["id"] as! String
            let version = try await app.call(.POST, "/api/v1/products/\(product)/versions", token: f.admin, json: ["name": "7.0"]).json["id"] as! String
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "L1 desk"]).json["id"] as! String
            let cases: [(String, String, [String: Any], UInt)] = [
                ("taken name", "/api/v1/products/\(product)", ["name": "Switch"], 409),
                ("blank name", "/api/v1/products/\(product)", ["name": "  "], 422),
                ("unknown member", "/api/v1/products/\(product)", ["colour": "red"], 422),
                ("description on a product", "/api/v1/products/\(product)", ["description": "x"], 422),
                ("wrong type", "/api/v1/products/\(product)", ["retired": "yes"], 400),
                ("unknown product", "/api/v1/products/\(UUID().uuidString)", ["name": "x"], 404),
                ("version of another product", "/api/v1/products/\(other)/versions/\(version)", ["name": "x"], 404),
                ("bad release date", "/api/v1/products/\(product)/versions/\(version)", ["released_on": "May"], 422),
                ("tier out of range", "/api/v1/groups/\(group)", ["tier": 0], 422),
                ("a customer as member", "/api/v1/groups/\(group)", ["member_ids": [f.customerID]], 422),
                ("unknown group", "/api/v1/groups/\(UUID().uuidString)", ["name": "x"], 404),
                ("unknown category", "/api/v1/categories/\(UUID().uuidString)", ["name": "x"], 404),
                ("huge name", "/api/v1/products/\(product)", ["name": String(repeating: "x", count: 10_001)], 422),
                ("huge group description", "/api/v1/groups/\(group)", ["description": String(repeating: "x", count: 2_001)], 422),
                ("501 members", "/api/v1/groups/\(group)", ["member_ids": (0...500).map { _ in UUID().uuidString }], 422),
                ("another person's id that is not staff", "/api/v1/groups/\(group)", ["member_ids": [f.customerID, f.agentID]], 422),
                ("malformed member id", "/api/v1/groups/\(group)", ["member_ids": ["not-a-uuid"]], 400),
            ]
            for (label, path, body, status) in cases {
                let response = try await app.call(.PATCH, path, token: f.admin, json: body)
                #expect(response.status.code == status && response.isProblem, "\(label): \(response.status) \(response.text)")
            }
            for path in ["products/\(product)", "products/\(product)/versions/\(version)", "groups/\(group)"] {
                #expect(try await app.call(.PATCH, "/api/v1/\(path)", token: f.agent, json: ["name": "x"]).status == .forbidden, "\(path)")
                #expect(try await app.call(.PATCH, "/api/v1/\(path)", token: f.customer, json: ["name": "x"]).status == .forbidden, "\(path)")
            }
            let products = try await app.call(.GET, "/api/v1/products", token: f.admin).list
            #expect(products.compactMap { $0["name"] as? String }.sorted() == ["Phone", "Routr", "Switch"], "nothing was renamed")
            #expect(products.allSatisfy { $0["retired"] as? Bool == false })
            let groups = try await app.call(.GET, "/api/v1/groups", token: f.admin).list
            #expect(groups.first?["tier"] as? Int == 1 && (groups.first?["member_ids"] as? [String])?.isEmpty == true)
        }
    }
}
