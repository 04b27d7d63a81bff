import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// One line of an export file other than a row: the header, or a stored file's contents.
struct ExportLine: Codable {
    var kind: String
    var format: String?
    var version: Int?
    var database: String?
    var sha256: String?
    var data: String?
}

/// Writes everything Casebook stores as JSON Lines: a header, every table's rows in dependency order, then file contents.
public enum DataExport {
    static let format = "casebook-export"
    static let version = 2

    /// Streams the export to `write`, reporting progress as (done, total) rows.
    public static func run(_ app: Application, write: @escaping @Sendable (Data) throws -> Void,
                           progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        let store = app.casebook.store
        // New cases' terms for similar cases are exported, and on SQLite they may still wait in the search queue.
        try await SearchIndexer.catchUp(store)
        let digests = try await app.db.transaction { db in
            let sql = store.sql(db)
            // One snapshot for the whole export, however long it takes, while the desk keeps working.
            try await ExportSession.beginSnapshot(on: sql)
            let tables = try await ExportCatalog.tables(on: sql)
            var total = 0
            for table in tables { total += try await ExportRows.count(table, on: sql) }
            try write(try line(ExportLine(kind: "header", format: format, version: version, database: ExportRows.kind(of: sql))))
            var done = 0
            for table in tables {
                let prefix = Data("{\"kind\":\"row\",\"table\":\"\(table.name)\",\"row\":".utf8)
                try await ExportRows.forEachPage(table, on: db) { rows in
                    for row in rows { try write(prefix + row + Data("}\n".utf8)) }
                    done += rows.count
                    progress(done, total)
                }
            }
            return try await StoredFileRepository.named(on: sql)
        }
        for digest in digests {
            guard let data = try await app.casebook.blobs.get(digest) else { continue }
            try write(try line(ExportLine(kind: "blob", sha256: digest, data: data.base64EncodedString())))
        }
    }

    static func line(_ value: ExportLine) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
