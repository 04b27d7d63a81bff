import CasebookCore
import Foundation
import SQLKit

/// Customers' equipment: asset rows, their links to cases, and the lookups an import needs.
enum AssetRepository {
    /// What the asset list may be narrowed to.
    struct Filter: Sendable {
        var organisationID: UUID?
        var assetType: String?
        var criticality: AssetCriticality?
        var includeRetired = false
        var monitored: Bool?
        var text: String?
        var limit = 100
        var offset = 0
    }

    static func view(_ row: any SQLRow, publicURL: String) throws -> AssetView {
        AssetView(
            id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
            name: try row.decode(column: "name", as: String.self), assetType: try row.decode(column: "asset_type", as: String.self),
            model: try row.decode(column: "model", as: String?.self), serial: try row.decode(column: "serial", as: String?.self),
            host: try row.decode(column: "host", as: String?.self), location: try row.decode(column: "location", as: String?.self),
            criticality: AssetCriticality(rawValue: try row.decode(column: "criticality", as: String.self)) ?? .normal,
            productID: try row.decode(column: "product_id", as: UUID?.self),
            productVersionID: try row.decode(column: "product_version_id", as: UUID?.self),
            vendor: try row.decode(column: "vendor", as: String?.self),
            warrantyEndsOn: try row.decode(column: "warranty_ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
            monitored: try row.decode(column: "monitored", as: Bool.self), retired: try row.decode(column: "retired", as: Bool.self),
            inspectionURL: tagURL(publicURL: publicURL, token: try row.decode(column: "tag_token", as: String.self)),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func tagURL(publicURL: String, token: String) -> String { "\(publicURL)/tags/\(token)" }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> (any SQLRow)? {
        try await sql.select().columns("*").from("assets").where("id", .equal, id).first()
    }

    /// The asset whose inspection tag carries this token.
    static func find(tagToken token: String, on sql: any SQLDatabase) async throws -> (any SQLRow)? {
        try await sql.select().columns("*").from("assets").where("tag_token", .equal, token).first()
    }

    static func insert(_ asset: AssetView, token: String, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "assets")
            .columns("id", "organisation_id", "name", "asset_type", "model", "serial", "host", "location", "criticality", "product_id",
                     "product_version_id", "vendor", "warranty_ends_on", "monitored", "tag_token", "retired", "created_at", "updated_at")
            .values(SQLBind(asset.id), SQLBind(asset.organisationID), SQLBind(asset.name), SQLBind(asset.assetType), SQLBind(asset.model),
                    SQLBind(asset.serial), SQLBind(asset.host), SQLBind(asset.location), SQLBind(asset.criticality.rawValue),
                    SQLBind(asset.productID), SQLBind(asset.productVersionID), SQLBind(asset.vendor),
                    SQLBind(asset.warrantyEndsOn?.description), SQLBind(asset.monitored), SQLBind(token), SQLBind(asset.retired),
                    SQLBind(asset.createdAt), SQLBind(asset.updatedAt))
            .run()
    }

    static func update(_ asset: AssetView, on sql: any SQLDatabase) async throws {
        try await sql.update("assets")
            .set("name", to: asset.name).set("asset_type", to: asset.assetType).set("model", to: asset.model).set("serial", to: asset.serial)
            .set("host", to: asset.host).set("location", to: asset.location).set("criticality", to: asset.criticality.rawValue)
            .set("product_id", to: asset.productID).set("product_version_id", to: asset.productVersionID).set("vendor", to: asset.vendor)
            .set("warranty_ends_on", to: asset.warrantyEndsOn?.description).set("monitored", to: asset.monitored)
            .set("retired", to: asset.retired).set("updated_at", to: asset.updatedAt)
            .where("id", .equal, asset.id).run()
    }

    /// The asset an alert's labels name: by id, serial or host name, first match wins.
    static func match(keys: [String], on sql: any SQLDatabase) async throws -> (id: UUID, organisationID: UUID)? {
        for key in keys where !key.isEmpty {
            let row: (any SQLRow)?
            if let id = UUID(uuidString: key) {
                row = try await sql.raw("SELECT id, organisation_id FROM assets WHERE retired = \(bind: false) AND id = \(bind: id) LIMIT 1").first()
            } else {
                row = try await sql.raw("""
                    SELECT id, organisation_id FROM assets
                    WHERE retired = \(bind: false) AND (serial = \(bind: key) OR host = \(bind: key.lowercased())) LIMIT 1
                    """).first()
            }
            if let row { return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "organisation_id", as: UUID.self)) }
        }
        return nil
    }

    static func list(_ filter: Filter, publicURL: String, on sql: any SQLDatabase) async throws -> [AssetView] {
        var select = sql.select().columns("*").from("assets")
        if let id = filter.organisationID { select = select.where("organisation_id", .equal, id) }
        if let type = filter.assetType { select = select.where("asset_type", .equal, type.lowercased()) }
        if let criticality = filter.criticality { select = select.where("criticality", .equal, criticality.rawValue) }
        if !filter.includeRetired { select = select.where("retired", .equal, false) }
        if let monitored = filter.monitored { select = select.where("monitored", .equal, monitored) }
        if let text = filter.text, !text.isEmpty {
            let pattern = "%" + text.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            select = select.where(SQLQueryString("(LOWER(name) LIKE \(bind: pattern) OR LOWER(serial) LIKE \(bind: pattern) OR host LIKE \(bind: pattern))"))
        }
        return try await select.orderBy("name").limit(filter.limit).offset(filter.offset).all().map { try view($0, publicURL: publicURL) }
    }

    /// The asset's newest linked cases.
    static func linkedCases(of assetID: UUID, prefix: String, limit: Int, on sql: any SQLDatabase) async throws -> [AssetView.LinkedCase] {
        try await sql.raw("""
            SELECT c.number, c.subject, c.status, c.created_at FROM asset_cases l JOIN cases c ON c.id = l.case_id
            WHERE l.asset_id = \(bind: assetID) ORDER BY c.created_at DESC LIMIT \(bind: limit)
            """).all().map { row in
                AssetView.LinkedCase(reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                                     subject: try row.decode(column: "subject", as: String.self),
                                     status: try row.decode(column: "status", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }

    /// Links an asset and a case; linking twice is one link.
    static func linkCase(assetID: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "asset_cases").columns("asset_id", "case_id", "created_at")
            .values(SQLBind(assetID), SQLBind(caseID), SQLBind(now)).ignoringConflicts(with: ["asset_id", "case_id"]).run()
    }

    static func unlinkCase(assetID: UUID, caseID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "asset_cases").where("asset_id", .equal, assetID).where("case_id", .equal, caseID).run()
    }

    /// Whether another asset of the organisation already carries this serial.
    static func serialTaken(_ serial: String, organisationID: UUID, except id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("assets").where("organisation_id", .equal, organisationID)
            .where("serial", .equal, serial).where("id", .notEqual, id).first() != nil
    }

    /// Organisations, products and product versions by lower-cased name, for rows that name them rather than give ids.
    struct NameIndex: Sendable {
        var organisations: [String: UUID] = [:]
        var products: [String: UUID] = [:]
        /// Keyed by product id and version name: "<uuid>/<name>".
        var versions: [String: UUID] = [:]
    }

    static func nameIndex(on sql: any SQLDatabase) async throws -> NameIndex {
        var index = NameIndex()
        index.organisations = try await OrganisationRepository.idsByName(on: sql)
        for row in try await sql.raw("SELECT id, name FROM products").all() {
            index.products[try row.decode(column: "name", as: String.self).lowercased()] = try row.decode(column: "id", as: UUID.self)
        }
        for row in try await sql.raw("SELECT id, product_id, name FROM product_versions").all() {
            let key = try row.decode(column: "product_id", as: UUID.self).uuidString + "/" + (try row.decode(column: "name", as: String.self)).lowercased()
            index.versions[key] = try row.decode(column: "id", as: UUID.self)
        }
        return index
    }
}
