import CasebookCore
import Foundation
import Vapor

/// Body of `POST /assets` and `PATCH /assets/{id}`; on PATCH every field is optional and null clears.
struct AssetWrite: Decodable, Sendable {
    var organisationID: UUID?
    var name: String?
    var assetType: String?
    var model: PatchValue<String> = .absent
    var serial: PatchValue<String> = .absent
    var host: PatchValue<String> = .absent
    var location: PatchValue<String> = .absent
    var criticality: AssetCriticality?
    var productID: PatchValue<UUID> = .absent
    var productVersionID: PatchValue<UUID> = .absent
    var vendor: PatchValue<String> = .absent
    var warrantyEndsOn: PatchValue<LocalDate> = .absent
    var monitored: Bool?
    var retired: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, model, serial, host, location, criticality, vendor, monitored, retired
        case organisationID = "organisation_id", assetType = "asset_type", productID = "product_id"
        case productVersionID = "product_version_id", warrantyEndsOn = "warranty_ends_on"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        organisationID = try c.decodeIfPresent(UUID.self, forKey: .organisationID)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        assetType = try c.decodeIfPresent(String.self, forKey: .assetType)
        model = try c.decodePatch(String.self, forKey: .model)
        serial = try c.decodePatch(String.self, forKey: .serial)
        host = try c.decodePatch(String.self, forKey: .host)
        location = try c.decodePatch(String.self, forKey: .location)
        criticality = try c.decodeIfPresent(AssetCriticality.self, forKey: .criticality)
        productID = try c.decodePatch(UUID.self, forKey: .productID)
        productVersionID = try c.decodePatch(UUID.self, forKey: .productVersionID)
        vendor = try c.decodePatch(String.self, forKey: .vendor)
        warrantyEndsOn = try c.decodePatch(LocalDate.self, forKey: .warrantyEndsOn)
        monitored = try c.decodeIfPresent(Bool.self, forKey: .monitored)
        retired = try c.decodeIfPresent(Bool.self, forKey: .retired)
    }
}

/// An asset as the API shows it.
struct AssetView: Content {
    var id: UUID
    var organisationID: UUID
    var name: String
    var assetType: String
    var model: String?
    var serial: String?
    var host: String?
    var location: String?
    var criticality: AssetCriticality
    var productID: UUID?
    var productVersionID: UUID?
    var vendor: String?
    var warrantyEndsOn: LocalDate?
    var monitored: Bool
    var retired: Bool
    /// The public inspection page; anyone with the link (or the printed QR code) can read it.
    var inspectionURL: String
    var createdAt: Date
    var updatedAt: Date
    /// Filled on `GET /assets/{id}`: cases about this asset, newest first.
    var cases: [LinkedCase]?
    /// Filled on `GET /assets/{id}`: the last completed visit and the next one due.
    var lastInspection: InspectionSummary?
    var nextDueOn: LocalDate?

    struct LinkedCase: Content {
        var reference: String
        var subject: String
        var status: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case reference, subject, status
            case createdAt = "created_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, model, serial, host, location, criticality, vendor, monitored, retired, cases
        case organisationID = "organisation_id", assetType = "asset_type", productID = "product_id"
        case productVersionID = "product_version_id", warrantyEndsOn = "warranty_ends_on", inspectionURL = "inspection_url"
        case createdAt = "created_at", updatedAt = "updated_at", lastInspection = "last_inspection", nextDueOn = "next_due_on"
    }
}

/// The last completed maintenance visit, as the tag and the asset show it.
struct InspectionSummary: Content {
    var workOrderID: UUID
    var completedAt: Date
    var completedBy: String
    var result: InspectionResult
    var dueOn: LocalDate

    enum CodingKeys: String, CodingKey {
        case result
        case workOrderID = "work_order_id", completedAt = "completed_at", completedBy = "completed_by", dueOn = "due_on"
    }
}

/// The answer to a CSV import: how many assets were added, or every row that was wrong.
struct AssetImportResult: Content {
    var imported: Int
    var assets: [AssetView]
}
