import CasebookCore
import Fluent
import Foundation
import Vapor

/// Loads an export into an empty database, then rebuilds the search index from it.
public enum DataImport {
    public struct NotEmpty: Error, CustomStringConvertible {
        public var description: String { "The database already holds cases or people; import needs an empty database." }
    }

    public struct BadLine: Error, CustomStringConvertible {
        let number: Int
        let reason: String
        public var description: String { "Line \(number) of the import is not valid: \(reason)" }
    }

    /// Reads the lines `lines` opens and loads them in one transaction, so a bad line leaves the database as empty as it
    /// was; returns the number of rows loaded. The lines are opened inside the write, because a write may run twice.
    public static func run(_ app: Application, lines: @escaping @Sendable () throws -> AsyncThrowingStream<Data, any Error>,
                           progress: @escaping @Sendable (Int) -> Void) async throws -> Int {
        let sql = app.casebook.store.sql
        guard try await UserRepository.count(on: sql) == 0, try await CaseRepository.count(on: sql) == 0 else {
            throw NotEmpty()
        }
        let store = app.casebook.store
        let blobs = app.casebook.blobs
        let loaded = try await store.write { db in
            let sql = store.sql(db)
            let tables = try await ExportCatalog.tables(on: sql)
            let byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
            try await ExportSession.deferReferences(on: sql)
            // Migrations seed a few rows (counters, defaults); the export carries its own. The audit log only grows: what it
            // holds here stays, and the export's entries join it.
            for table in tables.reversed() where !CreateSecurityRecords.appendOnly.contains(table.name) {
                try await ExportSession.empty(table, on: sql)
            }
            var loaded = 0, number = 0
            var sawHeader = false
            var batch: [Data] = [], batchTable: ExportTable?, batchLine = 0
            func flush() async throws {
                guard let table = batchTable, !batch.isEmpty else { return }
                do { try await ExportRows.insert(batch, into: table, on: db) } catch let error as ExportRowError {
                    throw BadLine(number: batchLine, reason: error.description)
                } catch {
                    throw BadLine(number: batchLine, reason: "the database refused a row of '\(table.name)' near here: \(String(reflecting: error))")
                }
                loaded += batch.count
                batch = []
                progress(loaded)
            }
            for try await raw in try lines() {
                number += 1
                guard !raw.isEmpty else { continue }
                if sawHeader, let (name, row) = rowLine(raw) {
                    // Rows are taken byte for byte as exported, so no value is re-read through another parser.
                    guard let table = byName[name] else { throw BadLine(number: number, reason: "unknown table '\(name)'") }
                    if batchTable != table || batch.count >= ExportRows.pageSize { try await flush() }
                    batchTable = table
                    batch.append(row)
                    batchLine = number
                    continue
                }
                guard let line = try? JSONSerialization.jsonObject(with: raw) as? [String: Any], let kind = line["kind"] as? String else {
                    throw BadLine(number: number, reason: "not a JSON object with a kind")
                }
                if !sawHeader {
                    guard kind == "header", line["format"] as? String == DataExport.format else {
                        throw BadLine(number: number, reason: "the first line must be a Casebook export header")
                    }
                    guard line["version"] as? Int == DataExport.version else {
                        throw BadLine(number: number, reason: "export format version \(line["version"] ?? "none") is not version \(DataExport.version)")
                    }
                    let kind = ExportRows.kind(of: sql)
                    guard line["database"] as? String == kind else {
                        throw BadLine(number: number, reason: "the export was taken from \(line["database"] ?? "another database"); import it into \(line["database"] ?? "that kind of database"), not \(kind)")
                    }
                    sawHeader = true
                    continue
                }
                switch kind {
                case "row":
                    throw BadLine(number: number, reason: "a row line must be written as casebook export writes it: {\"kind\":\"row\",\"table\":…,\"row\":{…}}")
                case "blob":
                    guard let digest = line["sha256"] as? String, let text = line["data"] as? String, let data = Data(base64Encoded: text) else {
                        throw BadLine(number: number, reason: "blob without data")
                    }
                    guard try await blobs.put(data) == digest else { throw BadLine(number: number, reason: "blob does not match its SHA-256") }
                default:
                    throw BadLine(number: number, reason: "unknown kind '\(kind)'")
                }
            }
            try await flush()
            guard sawHeader else { throw BadLine(number: number, reason: "the export is empty") }
            return loaded
        }
        try await rebuildSearchIndex(app)
        progress(loaded)
        return loaded
    }

    /// The table name and row of a line laid out as `DataExport` writes rows, or nil for any other line.
    static func rowLine(_ line: Data) -> (String, Data)? {
        let prefix = Data(#"{"kind":"row","table":""#.utf8), middle = Data(#"","row":"#.utf8)
        guard line.starts(with: prefix), line.last == UInt8(ascii: "}") else { return nil }
        let afterPrefix = line.index(line.startIndex, offsetBy: prefix.count)
        guard let quote = line[afterPrefix...].firstIndex(of: UInt8(ascii: "\"")),
              line[quote...].starts(with: middle) else { return nil }
        let name = String(decoding: line[afterPrefix..<quote], as: UTF8.self)
        let row = line[line.index(quote, offsetBy: middle.count)..<line.index(before: line.endIndex)]
        guard row.first == UInt8(ascii: "{"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (name, Data(row))
    }

    /// Rebuilds the full-text index from case subjects and messages.
    static func rebuildSearchIndex(_ app: Application) async throws {
        let store = app.casebook.store
        try await store.write { db in
            let sql = store.sql(db)
            try await store.search.removeAll(on: sql)
            let texts = try await CaseSearchRepository.indexedTexts(on: db)
            var numbers: [UUID: Int] = [:]
            for (id, number, subject) in texts.cases {
                numbers[id] = number
                try await store.search.add(caseID: id, caseNumber: number, visibility: .public, text: subject, on: sql)
            }
            for (caseID, visibility, text) in texts.messages {
                guard let number = numbers[caseID] else { continue }
                try await store.search.add(caseID: caseID, caseNumber: number, visibility: visibility, text: text, on: sql)
            }
        }
    }
}
