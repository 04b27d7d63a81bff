import CasebookCore
import SQLKit
import Vapor

/// `/assets`: customers' equipment, its cases, CSV import and printable inspection labels.
struct AssetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let assets = routes.grouped("assets")
        assets.get(use: list)
        assets.post(use: create)
        assets.on(.POST, "import", body: .collect(maxSize: "20mb"), use: importCSV)
        assets.get(":id", use: show)
        assets.patch(":id", use: update)
        assets.post(":id", "cases", use: linkCase)
        assets.delete(":id", "cases", ":reference", use: unlinkCase)
        assets.get(":id", "label", use: label)
    }

    private func publicURL(_ req: Request) -> String { req.casebook.configuration.equipment.publicURL }

    @Sendable func list(req: Request) async throws -> [AssetView] {
        try req.authorize(.readEquipment)
        var filter = AssetRepository.Filter()
        if let organisation = req.query[String.self, at: "organisation_id"] {
            guard let id = UUID(uuidString: organisation) else { throw Problem.badRequest("Query parameter 'organisation_id' must be a UUID.") }
            filter.organisationID = id
        }
        filter.assetType = req.query[String.self, at: "asset_type"]
        if let criticality = req.query[String.self, at: "criticality"] {
            guard let known = AssetCriticality(rawValue: criticality) else {
                throw Problem.badRequest("Query parameter 'criticality' must be mission_critical, high, normal or low.")
            }
            filter.criticality = known
        }
        filter.includeRetired = req.query[Bool.self, at: "include_retired"] == true
        if let monitored = req.query[String.self, at: "monitored"] {
            guard ["true", "false"].contains(monitored) else { throw Problem.badRequest("Query parameter 'monitored' must be true or false.") }
            filter.monitored = monitored == "true"
        }
        filter.text = req.query[String.self, at: "q"]
        filter.limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 500)
        filter.offset = max(req.query[Int.self, at: "offset"] ?? 0, 0)
        return try await AssetRepository.list(filter, publicURL: publicURL(req), on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(AssetWrite.self)
        guard input.organisationID != nil else { throw Problem.invalid("organisation_id", "is required") }
        guard input.name != nil else { throw Problem.invalid("name", "is required") }
        guard input.assetType != nil else { throw Problem.invalid("asset_type", "is required") }
        let now = req.now
        let url = publicURL(req)
        let view = try await req.store.write { db -> AssetView in
            try await Self.insert(input, at: now, publicURL: url, on: req.store.sql(db))
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    static func insert(_ input: AssetWrite, at now: Date, publicURL: String, on sql: any SQLDatabase) async throws -> AssetView {
        let token = RandomToken.make()
        var view = AssetView(id: RecordID.make(), organisationID: input.organisationID ?? RecordID.make(), name: "", assetType: "", criticality: .normal,
                             monitored: false, retired: false, inspectionURL: AssetRepository.tagURL(publicURL: publicURL, token: token),
                             createdAt: now, updatedAt: now)
        try await AssetValidation.apply(input, to: &view, isNew: true, on: sql)
        try await AssetRepository.insert(view, token: token, on: sql)
        return view
    }

    @Sendable func importCSV(req: Request) async throws -> Response {
        try req.authorize(.manageEquipment)
        guard let body = req.body.data, body.readableBytes > 0 else { throw Problem.badRequest("Send the CSV file as the request body (text/csv).") }
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let table: CSVTable
        do { table = try CSVTable.parse(text) } catch { throw Problem.invalid("csv", error.description) }
        let now = req.now
        let url = publicURL(req)
        let views = try await req.store.write { db -> [AssetView] in
            let sql = req.store.sql(db)
            let writes = try await AssetCSVImport.writes(from: table, on: sql)
            var views: [AssetView] = []
            for (index, write) in writes.enumerated() {
                do {
                    views.append(try await Self.insert(write, at: now, publicURL: url, on: sql))
                } catch {
                    guard let problem = Problem.from(error) else { throw error }
                    // One bad row rolls the whole file back, and says which row.
                    throw Problem(status: problem.status, slug: problem.slug, title: problem.title, detail: "Row \(index + 2): \(problem.detail)",
                                  fieldErrors: [Problem.FieldError(field: "row \(index + 2)", message: problem.fieldErrors.first?.message ?? problem.detail)])
                }
            }
            return views
        }
        return try await AssetImportResult(imported: views.count, assets: Array(views.prefix(100))).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> AssetView {
        try req.authorize(.readEquipment)
        let sql = req.store.sql
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await AssetRepository.find(id, on: sql) else { throw Problem.notFound("The asset") }
        var view = try AssetRepository.view(row, publicURL: publicURL(req))
        let prefix = req.casebook.configuration.referencePrefix
        view.cases = try await AssetRepository.linkedCases(of: id, prefix: prefix, limit: 100, on: sql)
        view.lastInspection = try await InspectionRepository.last(assetID: id, on: sql)
        view.nextDueOn = try await InspectionRepository.nextDue(assetID: id, on: sql)
        return view
    }

    @Sendable func update(req: Request) async throws -> AssetView {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(AssetWrite.self)
        let now = req.now
        let url = publicURL(req)
        return try await req.store.write { db -> AssetView in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self), let row = try await AssetRepository.find(id, on: sql) else { throw Problem.notFound("The asset") }
            var view = try AssetRepository.view(row, publicURL: url)
            try await AssetValidation.apply(input, to: &view, isNew: false, on: sql)
            view.updatedAt = now
            try await AssetRepository.update(view, on: sql)
            return view
        }
    }

    struct LinkRequest: Content {
        var reference: String
    }

    @Sendable func linkCase(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageEquipment)
        let input = try req.content.decode(LinkRequest.self)
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        try await req.store.write { db in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self), let asset = try await AssetRepository.find(id, on: sql) else { throw Problem.notFound("The asset") }
            let record = try await CaseLookup.find(input.reference, prefix: prefix, on: sql)
            let owner = try asset.decode(column: "organisation_id", as: UUID.self)
            if let organisation = record.organisationID, organisation != owner {
                throw Problem.conflict("Case \(input.reference) belongs to another organisation than this asset.")
            }
            try await AssetRepository.linkCase(assetID: id, caseID: record.id, at: now, on: sql)
        }
        return .noContent
    }

    @Sendable func unlinkCase(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageEquipment)
        let prefix = req.casebook.configuration.referencePrefix
        try await req.store.write { db in
            let sql = req.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The asset") }
            let record = try await CaseLookup.find(try req.parameters.require("reference"), prefix: prefix, on: sql)
            try await AssetRepository.unlinkCase(assetID: id, caseID: record.id, on: sql)
        }
        return .noContent
    }

    /// A printable label: the asset's name, serial and a QR code of its public inspection page.
    @Sendable func label(req: Request) async throws -> Response {
        try req.authorize(.readEquipment)
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await AssetRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The asset")
        }
        let view = try AssetRepository.view(row, publicURL: publicURL(req))
        return try InspectionPages.label(view)
    }
}
