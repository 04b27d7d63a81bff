import CasebookCore
import Fluent
import Foundation
import Vapor

/// One line of an export file.
struct ExportLine: Codable {
    var kind: String
    var table: String?
    var row: JSONRaw?
    var sha256: String?
    var data: String?
    var format: String?
    var version: Int?
}

/// Raw JSON carried inside a line without re-interpreting it.
struct JSONRaw: Codable {
    let json: Data
    init(_ json: Data) { self.json = json }
    init(from decoder: any Decoder) throws {
        // Re-encode whatever object was there; the value is decoded again by the table's model.
        json = try JSONEncoder().encode(try JSONValue(from: decoder))
    }
    func encode(to encoder: any Encoder) throws {
        try JSONDecoder().decode(JSONValue.self, from: json).encode(to: encoder)
    }
}

/// A JSON value of any shape, kept in key order for stable output.
enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([(String, JSONValue)])

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            self = .object(try keyed.allKeys.map { ($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) }
                .sorted { $0.0 < $1.0 })
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Double.self) { self = .number(value) }
        else { self = .string(try single.decode(String.self)) }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case let .bool(value): var c = encoder.singleValueContainer(); try c.encode(value)
        case let .number(value):
            var c = encoder.singleValueContainer()
            if value == value.rounded(), abs(value) < 9e15 { try c.encode(Int64(value)) } else { try c.encode(value) }
        case let .string(value): var c = encoder.singleValueContainer(); try c.encode(value)
        case let .array(items): var c = encoder.unkeyedContainer(); for item in items { try c.encode(item) }
        case let .object(members):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in members { try c.encode(value, forKey: AnyCodingKey(key)) }
        }
    }
}

/// Writes everything Casebook stores as JSON Lines, tables in dependency order, then file contents.
public enum DataExport {
    static let format = "casebook-export"

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Whole milliseconds: the precision Casebook stores, free of floating-point noise from either database.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Int64((date.timeIntervalSince1970 * 1000).rounded()))
        }
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let milliseconds = try decoder.singleValueContainer().decode(Int64.self)
            return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        }
        return decoder
    }

    /// Streams the export to `write`, reporting progress as (done, total) rows.
    public static func run(_ app: Application, write: (Data) throws -> Void, progress: (Int, Int) -> Void) async throws {
        let db = app.db
        let tables = DataTables.all
        var total = 0
        for table in tables { total += try await table.count(db) }
        var done = 0
        try write(try line(ExportLine(kind: "header", format: format, version: 1)))
        var digests = Set<String>()
        for table in tables {
            for row in try await table.rows(db) {
                try write(try line(ExportLine(kind: "row", table: table.name, row: JSONRaw(row))))
                done += 1
                if done % 200 == 0 { progress(done, total) }
            }
        }
        for attachment in try await AttachmentModel.query(on: db).all() where !digests.contains(attachment.sha256) {
            digests.insert(attachment.sha256)
            guard let data = app.casebook.attachments.get(attachment.sha256) else { continue }
            try write(try line(ExportLine(kind: "blob", sha256: attachment.sha256, data: data.base64EncodedString())))
        }
        progress(total, total)
    }

    static func line(_ value: ExportLine) throws -> Data {
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
