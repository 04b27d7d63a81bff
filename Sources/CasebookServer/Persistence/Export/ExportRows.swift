import Fluent
import Foundation
import SQLKit
import SQLiteNIO
import Vapor

/// Reads and writes a table's rows as JSON objects, exactly as the database stores them.
///
/// SQLite rows are read value by value (integers, reals, text, and blobs as `{"$base64": …}`), so every
/// storage class survives; PostgreSQL turns rows into JSON and back itself (`row_to_json`,
/// `json_populate_recordset`), so every column type keeps its own text form. An export therefore imports
/// into the same kind of database it was taken from.
enum ExportRows {
    static let pageSize = 500

    /// The database kind an export names in its header.
    static func kind(of sql: any SQLDatabase) -> String { sql.dialect.name == "sqlite" ? "sqlite" : "postgresql" }

    static func count(_ table: ExportTable, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT count(*) AS n FROM \(ident: table.name)").first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
    }

    /// Calls `page` with the table's rows, a page at a time, in stored order.
    /// Runs inside one read transaction so the whole export is one consistent snapshot.
    static func forEachPage(_ table: ExportTable, on db: any Database, _ page: ([Data]) throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        if let sqlite = db as? any SQLiteDatabase {
            var after: Int64 = .min
            while true {
                let rows = try await sqlite.query(
                    "SELECT rowid AS \"$rowid\", * FROM \"\(table.name)\" WHERE rowid > ? ORDER BY rowid LIMIT \(pageSize)", [.integer(Int(after))])
                guard let last = rows.last else { return }
                try page(try rows.map(sqliteObject))
                guard case let .integer(rowid)? = last.column("$rowid") else { return }
                after = Int64(rowid)
            }
        } else {
            // By primary key (or the whole row), so the same data always exports in the same order.
            let order = table.key.isEmpty ? "t::text" : table.key.map { "t.\"\($0)\"" }.joined(separator: ", ")
            try await sql.raw("""
                DECLARE casebook_export NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS row FROM \(ident: table.name) t ORDER BY \(unsafeRaw: order)
                """).run()
            while true {
                let rows = try await sql.raw("FETCH \(unsafeRaw: String(pageSize)) FROM casebook_export").all()
                if rows.isEmpty { break }
                try page(try rows.map { Data(try $0.decode(column: "row", as: String.self).utf8) })
            }
            try await sql.raw("CLOSE casebook_export").run()
        }
    }

    /// Inserts rows read by `forEachPage`; every column a row names must be one of the table's.
    static func insert(_ rows: [Data], into table: ExportTable, on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        if let sqlite = db as? any SQLiteDatabase {
            let perStatement = max(1, 30_000 / max(table.columns.count, 1))
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                var binds: [SQLiteData] = []
                let chunk = rows[start..<min(start + perStatement, rows.count)]
                for row in chunk { binds += try sqliteValues(row, for: table) }
                let placeholders = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
                let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
                _ = try await sqlite.query(
                    "INSERT INTO \"\(table.name)\" (\(columns)) VALUES " + Array(repeating: placeholders, count: chunk.count).joined(separator: ", "), binds)
            }
        } else {
            var array = Data("[".utf8)
            for (index, row) in rows.enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: row) as? [String: Any] else { throw ExportRowError.notAnObject }
                try checkColumns(Array(object.keys), of: table)
                if index > 0 { array.append(UInt8(ascii: ",")) }
                array.append(row)
            }
            array.append(UInt8(ascii: "]"))
            let sql = db as! any SQLDatabase
            try await sql.raw("""
                INSERT INTO \(ident: table.name) SELECT * FROM json_populate_recordset(NULL::\(ident: table.name), \(bind: String(decoding: array, as: UTF8.self))::json)
                """).run()
        }
    }

    // MARK: SQLite values

    private static func sqliteObject(_ row: SQLiteRow) throws -> Data {
        var object: [String: ExportValue] = [:]
        for column in row.columns where column.name != "$rowid" {
            switch column.data {
            case let .integer(value): object[column.name] = .integer(Int64(value))
            case let .float(value): object[column.name] = .real(value)
            case let .text(value): object[column.name] = .text(value)
            case let .blob(buffer): object[column.name] = .blob(Data(buffer: buffer))
            case .null: object[column.name] = .null
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(object)
    }

    private static func sqliteValues(_ row: Data, for table: ExportTable) throws -> [SQLiteData] {
        // JSONDecoder reads numbers exactly (JSONSerialization on Linux can be off in the last digit of a real).
        guard let object = try? JSONDecoder().decode([String: ExportValue].self, from: row) else {
            if (try? JSONSerialization.jsonObject(with: row)) is [String: Any] { throw ExportRowError.badValue(table: table.name, column: "?") }
            throw ExportRowError.notAnObject
        }
        try checkColumns(Array(object.keys), of: table)
        return table.columns.map { column in
            switch object[column] ?? .null {
            case .null: .null
            case let .text(text): .text(text)
            case let .blob(data): .blob(ByteBuffer(data: data))
            case let .integer(number): table.realColumns.contains(column) ? .float(Double(number)) : .integer(Int(number))
            case let .real(number): .float(number)
            }
        }
    }

    private static func checkColumns(_ names: [String], of table: ExportTable) throws {
        if let unknown = names.sorted().first(where: { !table.columns.contains($0) }) {
            throw ExportRowError.unknownColumn(table: table.name, column: unknown)
        }
    }
}

/// One stored SQLite value as it travels in an export.
enum ExportValue: Codable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    private enum BlobKey: String, CodingKey { case base64 = "$base64" }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: BlobKey.self) {
            guard let data = Data(base64Encoded: try keyed.decode(String.self, forKey: .base64)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64"))
            }
            self = .blob(data)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let text = try? single.decode(String.self) { self = .text(text) }
        else if let number = try? single.decode(Int64.self) { self = .integer(number) }
        else { self = .real(try single.decode(Double.self)) }
    }

    func encode(to encoder: any Encoder) throws {
        if case let .blob(data) = self {
            var keyed = encoder.container(keyedBy: BlobKey.self)
            try keyed.encode(data.base64EncodedString(), forKey: .base64)
            return
        }
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case let .integer(number): try single.encode(number)
        case let .real(number): try single.encode(number)
        case let .text(text): try single.encode(text)
        case .blob: break
        }
    }
}

/// A row in an import that does not fit its table.
enum ExportRowError: Error, CustomStringConvertible {
    case notAnObject
    case unknownColumn(table: String, column: String)
    case badValue(table: String, column: String)

    var description: String {
        switch self {
        case .notAnObject: "a row must be a JSON object"
        case let .unknownColumn(table, column): "table '\(table)' has no column '\(column)'"
        case let .badValue(table, column): "the value of '\(table).\(column)' is not one this database stores"
        }
    }
}
