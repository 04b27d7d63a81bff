@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Spare parts, stock and repairs")
struct PartsAndRepairsTests {
    static let monday = ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!

    @Test("parts taken from stock for a case or work order; never below zero; admins warned once at the minimum", arguments: TestDatabase.all)
    func stock(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let part = try await app.call(.POST, "/api/v1/parts", token: f.agent, json: ["sku": "FAN-92", "name": "92 mm fan"])
            #expect(part.status == .created)
            let id = part.json["id"] as! String
            #expect(try await app.call(.POST, "/api/v1/parts", token: f.agent, json: ["sku": "FAN-92", "name": "again"]).status == .conflict)
            let stocked = try await app.call(.PUT, "/api/v1/parts/\(id)/stock", token: f.agent, json: ["location": "Madrid", "quantity": 5, "minimum": 2])
            #expect(stocked.status == .ok && (stocked.json["stock"] as? [[String: Any]])?.first?["quantity"] as? Int == 5)

            let reference = try await f.openCase(app)
            let used = try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 2, "case_reference": reference])
            #expect(used.status == .created && (used.json["stock"] as? [[String: Any]])?.first?["quantity"] as? Int == 3)
            let notes = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(notes.contains { ($0["text"] as? String)?.hasPrefix("Used 2 × FAN-92") == true && $0["visibility"] as? String == "internal" })
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list.allSatisfy { ($0["text"] as? String)?.hasPrefix("Used") != true })

            #expect(try await app.call(.GET, "/api/v1/parts/low-stock", token: f.agent).list.isEmpty)
            _ = try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 1, "case_reference": reference])
            let low = try await app.call(.GET, "/api/v1/parts/low-stock", token: f.agent).list
            #expect(low.count == 1 && (low[0]["stock"] as? [[String: Any]])?.first?["low"] as? Bool == true)
            _ = try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 1, "case_reference": reference])
            let warnings = try await (app.db as! any SQLDatabase).raw("SELECT subject FROM outbound_messages WHERE kind = 'notification'").all()
                .map { try $0.decode(column: "subject", as: String.self) }
            #expect(warnings == ["Low stock: FAN-92 at Madrid"], "once, to the one admin, not again while still low")

            // One left: taking two is refused and leaves the stock as it was.
            let refused = try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 2, "case_reference": reference])
            #expect(refused.status == .conflict && refused.isProblem)
            #expect(try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 1]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/parts/\(id)/use", token: f.agent, json: ["location": "Madrid", "quantity": 0, "case_reference": reference]).status == .unprocessableEntity)
            #expect(try await app.call(.PUT, "/api/v1/parts/\(id)/stock", token: f.agent, json: ["location": "Madrid", "quantity": -1]).status == .unprocessableEntity)
            let after = try await app.call(.GET, "/api/v1/parts", token: f.agent).list
            #expect((after[0]["stock"] as? [[String: Any]])?.first?["quantity"] as? Int == 1)
            #expect(try await rowCount(app, "part_usage") == 3, "three successful uses; the refused ones left no trace")
            // Refilled above the minimum, the warning is re-armed.
            _ = try await app.call(.PUT, "/api/v1/parts/\(id)/stock", token: f.agent, json: ["location": "Madrid", "quantity": 10])
            #expect(try await app.call(.GET, "/api/v1/parts/low-stock", token: f.agent).list.isEmpty)
            #expect(try await app.call(.GET, "/api/v1/parts", token: f.customer).status == .forbidden)
        }
    }

    @Test("a case waiting on a vendor shows the expected date to the customer and keeps its update cadence", arguments: TestDatabase.all)
    func repairs(database: TestDatabase) async throws {
        let clock = TestClock(Self.monday)
        try await withCasebook(database, clock: clock) { app in
            let f = try await Fixture.make(app)
            let vendor = try await app.call(.POST, "/api/v1/repair-vendors", token: f.admin,
                                            json: ["name": "FixIt Labs", "email": "rma@fixit.example", "turnaround_days": 7])
            #expect(vendor.status == .created)
            let reference = try await f.openCase(app)
            let repair = try await app.call(.POST, "/api/v1/cases/\(reference)/repairs", token: f.agent,
                                            json: ["vendor_id": vendor.json["id"] as! String, "description": "the controller board"])
            #expect(repair.status == .created, "\(repair.text)")
            #expect(repair.json["sent_on"] as? String == "2026-11-23" && repair.json["expected_on"] as? String == "2026-11-30")
            let waiting = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.customer)
            #expect(waiting.json["status"] as? String == "pending_vendor")
            let seen = try await app.call(.GET, "/api/v1/cases/\(reference)/repairs", token: f.customer).list
            #expect(seen.first?["expected_on"] as? String == "2026-11-30" && seen.first?["vendor_id"] == nil, "the customer sees the date, not the vendor")
            let told = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list
            #expect(told.contains { ($0["text"] as? String)?.contains("We expect it by 2026-11-30") == true })
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/repairs", token: f.outsider).status == .notFound)

            // Late: the new date is recorded on the case; when it is back, the case returns to open.
            let moved = try await app.call(.PATCH, "/api/v1/cases/\(reference)/repairs/\(repair.json["id"] as! String)", token: f.agent,
                                           json: ["expected_on": "2026-12-04"])
            #expect(moved.json["expected_on"] as? String == "2026-12-04")
            let back = try await app.call(.PATCH, "/api/v1/cases/\(reference)/repairs/\(repair.json["id"] as! String)", token: f.agent,
                                          json: ["returned_on": "2026-12-03"])
            #expect(back.json["returned_on"] as? String == "2026-12-03" && back.json["overdue"] as? Bool == false)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["status"] as? String == "open")
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/repairs", token: f.customer, json: ["description": "x"]).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/cases/\(reference)/repairs", token: f.agent,
                                       json: ["description": "x", "sent_on": "2026-12-01", "expected_on": "2026-11-01"]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/repair-vendors", token: f.agent, json: ["name": "Slow", "turnaround_days": 0]).status == .unprocessableEntity)
        }
    }
}
