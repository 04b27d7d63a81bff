import CasebookCore
import Foundation
import SQLKit

/// Spare parts, their stock per location, what was used where, and the vendors items go to for repair.
enum PartRepository {
    /// Parts with their stock per location, by SKU; only those at or below a minimum somewhere with `lowOnly`.
    static func parts(id: UUID? = nil, lowOnly: Bool = false, on sql: any SQLDatabase) async throws -> [PartView] {
        var query = SQLQueryString("""
            SELECT p.id, p.sku, p.name, p.created_at, s.location, s.quantity, s.minimum, s.low_since FROM parts p
            \(unsafeRaw: lowOnly ? "JOIN" : "LEFT JOIN") part_stock s ON s.part_id = p.id WHERE 1 = 1
            """)
        if lowOnly { query = query + " AND s.quantity <= s.minimum" }
        if let id { query = query + " AND p.id = \(bind: id)" }
        query = query + " ORDER BY p.sku, s.location LIMIT 10000"
        var parts: [UUID: PartView] = [:]
        var order: [UUID] = []
        for row in try await sql.raw(query).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            if parts[id] == nil {
                order.append(id)
                parts[id] = PartView(id: id, sku: try row.decode(column: "sku", as: String.self), name: try row.decode(column: "name", as: String.self),
                                     stock: [], createdAt: try row.decode(column: "created_at", as: Date.self))
            }
            if let location = try row.decode(column: "location", as: String?.self) {
                let quantity = try row.decode(column: "quantity", as: Int.self)
                let minimum = try row.decode(column: "minimum", as: Int.self)
                parts[id]!.stock.append(.init(location: location, quantity: quantity, minimum: minimum, low: quantity <= minimum,
                                              lowSince: try row.decode(column: "low_since", as: Date?.self)))
            }
        }
        return order.compactMap { parts[$0] }
    }

    /// A part's SKU and name.
    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> (sku: String, name: String)? {
        try await sql.select().columns("sku", "name").from("parts").where("id", .equal, id).first()
            .map { (try $0.decode(column: "sku", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func skuTaken(_ sku: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("parts").where("sku", .equal, sku).first() != nil
    }

    static func insert(_ part: PartView, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "parts").columns("id", "sku", "name", "created_at")
            .values(SQLBind(part.id), SQLBind(part.sku), SQLBind(part.name), SQLBind(part.createdAt)).run()
    }

    /// The minimum kept at a location, when the part is stocked there.
    static func minimum(of id: UUID, at location: String, on sql: any SQLDatabase) async throws -> Int? {
        try await sql.select().column("minimum").from("part_stock").where("part_id", .equal, id).where("location", .equal, location).first()?
            .decode(column: "minimum", as: Int.self)
    }

    /// Sets what a location holds of a part and its minimum.
    static func setStock(of id: UUID, at location: String, quantity: Int, minimum: Int, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "part_stock").columns("part_id", "location", "quantity", "minimum", "low_since", "updated_at")
            .values(SQLBind(id), SQLBind(location), SQLBind(quantity), SQLBind(minimum), SQLBind(nil as Date?), SQLBind(now))
            .onConflict(with: ["part_id", "location"]) { $0.set(excludedValueOf: "quantity").set(excludedValueOf: "minimum").set(excludedValueOf: "updated_at") }
            .run()
    }

    /// Takes `quantity` from a location only when that many are there, in one statement, so two technicians cannot take
    /// the last one twice; false when there were not enough.
    static func take(_ quantity: Int, of id: UUID, at location: String, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE part_stock SET quantity = quantity - \(bind: quantity), updated_at = \(bind: now)
            WHERE part_id = \(bind: id) AND location = \(bind: location) AND quantity >= \(bind: quantity) RETURNING quantity
            """).first() != nil
    }

    static func recordUse(of id: UUID, at location: String, quantity: Int, caseID: UUID?, workOrderID: UUID?, by userID: UUID, at now: Date,
                          on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "part_usage").columns("id", "part_id", "location", "quantity", "case_id", "work_order_id", "used_by", "used_at")
            .values(SQLBind(RecordID.make()), SQLBind(id), SQLBind(location), SQLBind(quantity), SQLBind(caseID), SQLBind(workOrderID),
                    SQLBind(userID), SQLBind(now)).run()
    }

    /// One location's stock of a part, with the part's SKU and name.
    static func stock(of id: UUID, at location: String, on sql: any SQLDatabase) async throws
        -> (quantity: Int, minimum: Int, lowSince: Date?, sku: String, name: String)? {
        try await sql.raw("""
            SELECT s.quantity, s.minimum, s.low_since, p.sku, p.name FROM part_stock s JOIN parts p ON p.id = s.part_id
            WHERE s.part_id = \(bind: id) AND s.location = \(bind: location)
            """).first().map {
                (try $0.decode(column: "quantity", as: Int.self), try $0.decode(column: "minimum", as: Int.self), try $0.decode(column: "low_since", as: Date?.self),
                 try $0.decode(column: "sku", as: String.self), try $0.decode(column: "name", as: String.self))
            }
    }

    /// Marks since when a location has been low on a part (nil once refilled).
    static func setLowSince(_ date: Date?, of id: UUID, at location: String, on sql: any SQLDatabase) async throws {
        try await sql.update("part_stock").set("low_since", to: date).where("part_id", .equal, id).where("location", .equal, location).run()
    }

    static func vendors(limit: Int, on sql: any SQLDatabase) async throws -> [RepairVendorView] {
        try await sql.select().columns("*").from("repair_vendors").orderBy("name").limit(limit).all().map(vendor)
    }

    static func insertVendor(_ vendor: RepairVendorView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "repair_vendors").columns("id", "name", "email", "phone", "turnaround_days", "created_at")
            .values(SQLBind(vendor.id), SQLBind(vendor.name), SQLBind(vendor.email), SQLBind(vendor.phone), SQLBind(vendor.turnaroundDays), SQLBind(now)).run()
    }

    private static func vendor(_ row: any SQLRow) throws -> RepairVendorView {
        RepairVendorView(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                         email: try row.decode(column: "email", as: String?.self), phone: try row.decode(column: "phone", as: String?.self),
                         turnaroundDays: try row.decode(column: "turnaround_days", as: Int.self))
    }
}
