import CasebookCore
import SQLKit
import Vapor

/// `/parts` and `/repair-vendors`: spare parts in stock per location, parts used, and the vendors repairs go to.
struct PartsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let parts = routes.grouped("parts")
        parts.get(use: list)
        parts.post(use: create)
        parts.get("low-stock", use: lowStock)
        parts.get(":id", use: show)
        parts.put(":id", "stock", use: setStock)
        parts.post(":id", "use", use: use)
        let vendors = routes.grouped("repair-vendors")
        vendors.get(use: listVendors)
        vendors.post(use: createVendor)
    }

    @Sendable func list(req: Request) async throws -> [PartView] {
        try req.authorize(.readEquipment)
        return try await Self.parts(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> PartView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self), let part = try await Self.parts(id: id, on: req.store.sql).first else {
            throw Problem.notFound("The part")
        }
        return part
    }

    /// Parts at or below their minimum somewhere, with only those locations.
    @Sendable func lowStock(req: Request) async throws -> [PartView] {
        try req.authorize(.readEquipment)
        return try await Self.parts(lowOnly: true, on: req.store.sql)
    }

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

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(PartCreate.self)
        let sku = try Validate.name(input.sku, field: "sku", max: 64)
        let view = PartView(id: RecordID.make(), sku: sku, name: try Validate.name(input.name, field: "name"), stock: [], createdAt: req.now)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            if try await sql.select().column("id").from("parts").where("sku", .equal, sku).first() != nil {
                throw Problem.conflict("A part with SKU \(sku) already exists.")
            }
            try await sql.insert(into: "parts").columns("id", "sku", "name", "created_at")
                .values(SQLBind(view.id), SQLBind(view.sku), SQLBind(view.name), SQLBind(view.createdAt)).run()
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func setStock(req: Request) async throws -> PartView {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(StockWrite.self)
        let location = try Validate.name(input.location, field: "location", max: 100)
        guard (0...10_000_000).contains(input.quantity) else { throw Problem.invalid("quantity", "must be 0 to 10000000") }
        if let minimum = input.minimum, !(0...10_000_000).contains(minimum) { throw Problem.invalid("minimum", "must be 0 to 10000000") }
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The part") }
        let now = req.now
        let services = req.casebook
        try await req.store.write { db in
            let sql = services.store.sql(db)
            guard try await sql.select().column("id").from("parts").where("id", .equal, id).first() != nil else { throw Problem.notFound("The part") }
            let existing = try await sql.select().column("minimum").from("part_stock").where("part_id", .equal, id).where("location", .equal, location).first()
            let minimum = try input.minimum ?? existing?.decode(column: "minimum", as: Int.self) ?? 0
            try await sql.insert(into: "part_stock").columns("part_id", "location", "quantity", "minimum", "low_since", "updated_at")
                .values(SQLBind(id), SQLBind(location), SQLBind(input.quantity), SQLBind(minimum), SQLBind(nil as Date?), SQLBind(now))
                .onConflict(with: ["part_id", "location"]) { $0.set(excludedValueOf: "quantity").set(excludedValueOf: "minimum").set(excludedValueOf: "updated_at") }
                .run()
            try await StockAlerts(services: services).check(partID: id, location: location, on: sql, now: now)
        }
        guard let view = try await Self.parts(id: id, on: req.store.sql).first else { throw Problem.notFound("The part") }
        return view
    }

    @Sendable func use(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let current = try req.current
        let input = try req.content.decode(PartUse.self)
        guard (1...100_000).contains(input.quantity) else { throw Problem.invalid("quantity", "must be 1 to 100000") }
        guard input.caseReference != nil || input.workOrderID != nil else {
            throw Problem.invalid("case_reference", "or work_order_id is required: parts are used for something")
        }
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The part") }
        let services = req.casebook
        let now = req.now
        try await req.store.write { db in
            let sql = services.store.sql(db)
            guard let part = try await sql.select().columns("sku", "name").from("parts").where("id", .equal, id).first() else { throw Problem.notFound("The part") }
            var caseID: UUID?
            if let reference = input.caseReference {
                caseID = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql).id
            }
            if let order = input.workOrderID, try await sql.select().column("id").from("work_orders").where("id", .equal, order).first() == nil {
                throw Problem.invalid("work_order_id", "names no work order")
            }
            // Decrement only when enough is there, in one statement, so two technicians cannot take the last one twice.
            guard try await sql.raw("""
                UPDATE part_stock SET quantity = quantity - \(bind: input.quantity), updated_at = \(bind: now)
                WHERE part_id = \(bind: id) AND location = \(bind: input.location) AND quantity >= \(bind: input.quantity) RETURNING quantity
                """).first() != nil else {
                throw Problem.conflict("Not enough \(try part.decode(column: "sku", as: String.self)) in stock at \(input.location).")
            }
            try await sql.insert(into: "part_usage").columns("id", "part_id", "location", "quantity", "case_id", "work_order_id", "used_by", "used_at")
                .values(SQLBind(RecordID.make()), SQLBind(id), SQLBind(input.location), SQLBind(input.quantity), SQLBind(caseID), SQLBind(input.workOrderID),
                        SQLBind(current.user.id), SQLBind(now)).run()
            try await StockAlerts(services: services).check(partID: id, location: input.location, on: sql, now: now)
            if let reference = input.caseReference {
                var note = MessageCreateRequest(text: "Used \(input.quantity) × \(try part.decode(column: "sku", as: String.self)) "
                                                + "(\(try part.decode(column: "name", as: String.self))) from \(input.location).")
                note.visibility = .internal
                _ = try await AddMessage(services: services).run(reference: reference, input: note, by: current, on: db)
            }
        }
        guard let view = try await Self.parts(id: id, on: req.store.sql).first else { throw Problem.notFound("The part") }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func listVendors(req: Request) async throws -> [RepairVendorView] {
        try req.authorize(.readEquipment)
        return try await req.store.sql.select().columns("*").from("repair_vendors").orderBy("name").limit(1_000).all().map(Self.vendor)
    }

    @Sendable func createVendor(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(RepairVendorCreate.self)
        guard (1...365).contains(input.turnaroundDays) else { throw Problem.invalid("turnaround_days", "must be 1 to 365") }
        let view = RepairVendorView(id: RecordID.make(), name: try Validate.name(input.name, field: "name"),
                                    email: try input.email.map { try Validate.email($0) }, phone: input.phone.map { String($0.prefix(40)) },
                                    turnaroundDays: input.turnaroundDays)
        let now = req.now
        try await req.store.write { db in
            try await req.store.sql(db).insert(into: "repair_vendors").columns("id", "name", "email", "phone", "turnaround_days", "created_at")
                .values(SQLBind(view.id), SQLBind(view.name), SQLBind(view.email), SQLBind(view.phone), SQLBind(view.turnaroundDays), SQLBind(now)).run()
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    static func vendor(_ row: any SQLRow) throws -> RepairVendorView {
        RepairVendorView(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                         email: try row.decode(column: "email", as: String?.self), phone: try row.decode(column: "phone", as: String?.self),
                         turnaroundDays: try row.decode(column: "turnaround_days", as: Int.self))
    }
}

/// Low-stock alerts: admins hear once when a location drops to its minimum, and again only after it was refilled.
struct StockAlerts {
    let services: CasebookServices

    func check(partID: UUID, location: String, on sql: any SQLDatabase, now: Date) async throws {
        guard let row = try await sql.raw("""
            SELECT s.quantity, s.minimum, s.low_since, p.sku, p.name FROM part_stock s JOIN parts p ON p.id = s.part_id
            WHERE s.part_id = \(bind: partID) AND s.location = \(bind: location)
            """).first() else { return }
        let quantity = try row.decode(column: "quantity", as: Int.self)
        let minimum = try row.decode(column: "minimum", as: Int.self)
        let lowSince = try row.decode(column: "low_since", as: Date?.self)
        if quantity <= minimum && minimum > 0 && lowSince == nil {
            try await sql.update("part_stock").set("low_since", to: now).where("part_id", .equal, partID).where("location", .equal, location).run()
            let sku = try row.decode(column: "sku", as: String.self)
            let name = try row.decode(column: "name", as: String.self)
            for address in try await StaffAddressRepository.adminAddresses(on: sql) {
                try await StaffNotice(services: services).send(
                    to: address, subject: "Low stock: \(sku) at \(location)",
                    text: "\(name) (\(sku)) is down to \(quantity) at \(location); the minimum is \(minimum). Time to reorder.", on: sql, now: now)
            }
        } else if quantity > minimum && lowSince != nil {
            try await sql.update("part_stock").set("low_since", to: SQLLiteral.null).where("part_id", .equal, partID).where("location", .equal, location).run()
        }
    }
}
