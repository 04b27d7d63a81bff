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
        return try await PartRepository.parts(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> PartView {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self), let part = try await PartRepository.parts(id: id, on: req.store.sql).first else {
            throw Problem.notFound("The part")
        }
        return part
    }

    /// Parts at or below their minimum somewhere, with only those locations.
    @Sendable func lowStock(req: Request) async throws -> [PartView] {
        try req.authorize(.readEquipment)
        return try await PartRepository.parts(lowOnly: true, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(PartCreate.self)
        let sku = try Validate.name(input.sku, field: "sku", max: 64)
        let view = PartView(id: RecordID.make(), sku: sku, name: try Validate.name(input.name, field: "name"), stock: [], createdAt: req.now)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            if try await PartRepository.skuTaken(sku, on: sql) {
                throw Problem.conflict("A part with SKU \(sku) already exists.")
            }
            try await PartRepository.insert(view, on: sql)
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
            guard try await PartRepository.find(id, on: sql) != nil else { throw Problem.notFound("The part") }
            var minimum = input.minimum ?? 0
            if input.minimum == nil { minimum = try await PartRepository.minimum(of: id, at: location, on: sql) ?? 0 }
            try await PartRepository.setStock(of: id, at: location, quantity: input.quantity, minimum: minimum, now: now, on: sql)
            try await StockAlerts(services: services).check(partID: id, location: location, on: sql, now: now)
        }
        guard let view = try await PartRepository.parts(id: id, on: req.store.sql).first else { throw Problem.notFound("The part") }
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
            guard let part = try await PartRepository.find(id, on: sql) else { throw Problem.notFound("The part") }
            var caseID: UUID?
            if let reference = input.caseReference {
                caseID = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql).id
            }
            if let order = input.workOrderID, try await !RelatedRecordRepository.exists("work_orders", order, on: sql) {
                throw Problem.invalid("work_order_id", "names no work order")
            }
            // Decrement only when enough is there, in one statement, so two technicians cannot take the last one twice.
            guard try await PartRepository.take(input.quantity, of: id, at: input.location, now: now, on: sql) else {
                throw Problem.conflict("Not enough \(part.sku) in stock at \(input.location).")
            }
            try await PartRepository.recordUse(of: id, at: input.location, quantity: input.quantity, caseID: caseID, workOrderID: input.workOrderID,
                                               by: current.user.id, at: now, on: sql)
            try await StockAlerts(services: services).check(partID: id, location: input.location, on: sql, now: now)
            if let reference = input.caseReference {
                var note = MessageCreateRequest(text: "Used \(input.quantity) × \(part.sku) (\(part.name)) from \(input.location).")
                note.visibility = .internal
                _ = try await AddMessage(services: services).run(reference: reference, input: note, by: current, on: db)
            }
        }
        guard let view = try await PartRepository.parts(id: id, on: req.store.sql).first else { throw Problem.notFound("The part") }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func listVendors(req: Request) async throws -> [RepairVendorView] {
        try req.authorize(.readEquipment)
        return try await PartRepository.vendors(limit: 1_000, on: req.store.sql)
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
            try await PartRepository.insertVendor(view, at: now, on: req.store.sql(db))
        }
        return try await view.encodeResponse(status: .created, for: req)
    }
}

/// Low-stock alerts: admins hear once when a location drops to its minimum, and again only after it was refilled.
struct StockAlerts {
    let services: CasebookServices

    func check(partID: UUID, location: String, on sql: any SQLDatabase, now: Date) async throws {
        guard let stock = try await PartRepository.stock(of: partID, at: location, on: sql) else { return }
        let quantity = stock.quantity, minimum = stock.minimum, lowSince = stock.lowSince
        if quantity <= minimum && minimum > 0 && lowSince == nil {
            try await PartRepository.setLowSince(now, of: partID, at: location, on: sql)
            let sku = stock.sku, name = stock.name
            for address in try await StaffAddressRepository.adminAddresses(on: sql) {
                try await StaffNotice(services: services).send(
                    to: address, subject: "Low stock: \(sku) at \(location)",
                    text: "\(name) (\(sku)) is down to \(quantity) at \(location); the minimum is \(minimum). Time to reorder.", on: sql, now: now)
            }
        } else if quantity > minimum && lowSince != nil {
            try await PartRepository.setLowSince(nil, of: partID, at: location, on: sql)
        }
    }
}
