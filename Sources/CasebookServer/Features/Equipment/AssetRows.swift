import CasebookCore
import Foundation
import SQLKit

/// Reading and writing asset rows.
enum AssetRows {
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
}
