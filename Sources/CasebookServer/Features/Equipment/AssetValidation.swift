import CasebookCore
import Foundation
import SQLKit

/// Applies an `AssetWrite` to an asset, checking every field and every record it names.
enum AssetValidation {
    static func apply(_ input: AssetWrite, to asset: inout AssetView, isNew: Bool, on sql: any SQLDatabase) async throws {
        if let organisation = input.organisationID {
            guard isNew else { throw DomainError.invalid("organisation_id", "cannot change; retire this asset and add it to the new owner") }
            guard try await RelatedRecordRepository.exists(OrganisationModel.schema, organisation, on: sql) else {
                throw DomainError.invalid("organisation_id", "names no organisation")
            }
            asset.organisationID = organisation
        }
        if let name = input.name { asset.name = try Validate.name(name, field: "name") }
        if let type = input.assetType { asset.assetType = try Validate.name(type, field: "asset_type", max: 80).lowercased() }
        if let value = input.model.asDoubleOptional { asset.model = try optional(value, field: "model") }
        if let value = input.serial.asDoubleOptional { asset.serial = try optional(value, field: "serial", max: 100) }
        if let value = input.host.asDoubleOptional { asset.host = try optional(value, field: "host", max: 253)?.lowercased() }
        if let value = input.location.asDoubleOptional { asset.location = try optional(value, field: "location") }
        if let value = input.vendor.asDoubleOptional { asset.vendor = try optional(value, field: "vendor") }
        if let criticality = input.criticality { asset.criticality = criticality }
        if let value = input.warrantyEndsOn.asDoubleOptional { asset.warrantyEndsOn = value }
        if let monitored = input.monitored { asset.monitored = monitored }
        if let retired = input.retired { asset.retired = retired }
        if let value = input.productID.asDoubleOptional { asset.productID = value }
        if let value = input.productVersionID.asDoubleOptional { asset.productVersionID = value }
        if let product = asset.productID,
           try await !RelatedRecordRepository.exists(ProductModel.schema, product, on: sql) {
            throw DomainError.invalid("product_id", "names no product")
        }
        if let version = asset.productVersionID {
            guard let product = try await RelatedRecordRepository.product(ofVersion: version, on: sql) else {
                throw DomainError.invalid("product_version_id", "names no product version")
            }
            if asset.productID == nil { asset.productID = product }
            guard asset.productID == product else { throw DomainError.invalid("product_version_id", "is a version of another product") }
        }
        if let serial = asset.serial {
            if try await AssetRepository.serialTaken(serial, organisationID: asset.organisationID, except: asset.id, on: sql) { throw DomainError.conflict("This organisation already has an asset with serial \(serial).") }
        }
    }

    private static func optional(_ value: String?, field: String, max: Int = 200) throws -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= max else { throw DomainError.invalid(field, "must be at most \(max) characters") }
        return trimmed.isEmpty ? nil : trimmed
    }
}
