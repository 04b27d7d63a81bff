import CasebookCore
import Foundation
import SQLKit

/// Turns a CSV file of assets into writes; every row is checked before any is stored.
///
/// Columns (header names, any order): name, asset_type (or type), organisation (name) or organisation_id,
/// model, serial, host, location, criticality, vendor, warranty_ends_on, monitored (yes/no),
/// product (name) and version (name).
enum AssetCSVImport {
    static let maxRows = 50_000

    static func writes(from table: CSVTable, on sql: any SQLDatabase) async throws -> [AssetWrite] {
        let known: Set<String> = ["name", "asset_type", "type", "organisation", "organisation_id", "model", "serial", "host", "location",
                                  "criticality", "vendor", "warranty_ends_on", "monitored", "product", "version"]
        if let unknown = table.header.first(where: { !known.contains($0) }) {
            throw DomainError.invalid("csv", "column '\(unknown)' is not one of \(known.sorted().joined(separator: ", "))")
        }
        guard table.rows.count <= maxRows else { throw DomainError.invalid("csv", "holds more than \(maxRows) rows; split it") }
        let names = try await AssetRepository.nameIndex(on: sql)
        var writes: [AssetWrite] = []
        var errors: [FieldFault] = []
        for (index, row) in table.rows.enumerated() {
            do {
                writes.append(try write(table.values(row), names: names))
            } catch let DomainError.invalid(_, message) {
                errors.append(FieldFault(field: "row \(index + 2)", message: message))
            }
            if errors.count >= 100 { break }
        }
        guard errors.isEmpty else {
            throw DomainError.invalidFields("\(errors.count) row(s) are wrong; nothing was imported. First: \(errors[0].field): \(errors[0].message).", errors)
        }
        return writes
    }

    private static func write(_ values: [String: String], names: AssetRepository.NameIndex) throws -> AssetWrite {
        func fail(_ message: String) -> DomainError { DomainError.invalid("row", message) }
        do {
            var write = AssetWrite()
            write.name = values["name"]
            guard write.name != nil else { throw fail("name is required") }
            write.assetType = values["asset_type"] ?? values["type"]
            guard write.assetType != nil else { throw fail("asset_type is required") }
            if let id = values["organisation_id"] {
                guard let uuid = UUID(uuidString: id) else { throw fail("organisation_id is not a UUID") }
                write.organisationID = uuid
            } else if let name = values["organisation"] {
                guard let id = names.organisations[name.lowercased()] else { throw fail("organisation '\(name)' is not known") }
                write.organisationID = id
            } else {
                throw fail("organisation or organisation_id is required")
            }
            for (key, target) in [("model", \AssetWrite.model), ("serial", \.serial), ("host", \.host), ("location", \.location), ("vendor", \.vendor)] {
                if let value = values[key] { write[keyPath: target] = .value(value) }
            }
            if let text = values["criticality"] {
                guard let criticality = AssetCriticality(rawValue: text.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")) else {
                    throw fail("criticality must be mission_critical, high, normal or low")
                }
                write.criticality = criticality
            }
            if let text = values["warranty_ends_on"] {
                guard let date = LocalDate(parsing: text) else { throw fail("warranty_ends_on must be a date like 2027-06-30") }
                write.warrantyEndsOn = .value(date)
            }
            if let text = values["monitored"]?.lowercased() {
                guard let flag = ["yes": true, "true": true, "1": true, "y": true, "no": false, "false": false, "0": false, "n": false][text] else {
                    throw fail("monitored must be yes or no")
                }
                write.monitored = flag
            }
            if let product = values["product"] {
                guard let id = names.products[product.lowercased()] else { throw fail("product '\(product)' is not known") }
                write.productID = .value(id)
                if let version = values["version"] {
                    guard let versionID = names.versions[id.uuidString + "/" + version.lowercased()] else { throw fail("version '\(version)' of \(product) is not known") }
                    write.productVersionID = .value(versionID)
                }
            } else if values["version"] != nil {
                throw fail("version needs a product column")
            }
            return write
        }
    }
}
