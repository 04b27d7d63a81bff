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

    /// Reads lines from `lines`; returns the number of rows loaded.
    public static func run(_ app: Application, lines: AsyncThrowingStream<Data, any Error>, progress: (Int) -> Void) async throws -> Int {
        guard try await UserModel.query(on: app.db).count() == 0, try await CaseModel.query(on: app.db).count() == 0 else {
            throw NotEmpty()
        }
        let tables = Dictionary(uniqueKeysWithValues: DataTables.all.map { ($0.name, $0) })
        let store = app.casebook.store
        let attachments = app.casebook.attachments
        var loaded = 0
        var number = 0
        var batch: [(DataTable, Data)] = []
        func flush() async throws {
            let rows = batch
            batch = []
            try await store.write { db in
                for (table, data) in rows { try await table.insert(data, db) }
            }
        }
        for try await raw in lines {
            number += 1
            guard !raw.isEmpty else { continue }
            let line: ExportLine
            do { line = try JSONDecoder().decode(ExportLine.self, from: raw) } catch { throw BadLine(number: number, reason: "not JSON") }
            switch line.kind {
            case "header":
                guard line.format == DataExport.format, line.version == 1 else { throw BadLine(number: number, reason: "unknown format") }
            case "row":
                guard let name = line.table, let table = tables[name], let row = line.row else {
                    throw BadLine(number: number, reason: "unknown table")
                }
                batch.append((table, row.json))
                loaded += 1
                if batch.count >= 500 {
                    try await flush()
                    progress(loaded)
                }
            case "blob":
                guard let digest = line.sha256, let text = line.data, let data = Data(base64Encoded: text) else {
                    throw BadLine(number: number, reason: "blob without data")
                }
                guard try attachments.put(data) == digest else { throw BadLine(number: number, reason: "blob does not match its SHA-256") }
            default:
                throw BadLine(number: number, reason: "unknown kind '\(line.kind)'")
            }
        }
        try await flush()
        try await rebuildSearchIndex(app)
        progress(loaded)
        return loaded
    }

    /// Rebuilds the full-text index from case subjects and messages.
    static func rebuildSearchIndex(_ app: Application) async throws {
        let store = app.casebook.store
        try await store.write { db in
            let sql = store.sql(db)
            try await store.search.removeAll(on: sql)
            var numbers: [UUID: Int] = [:]
            for model in try await CaseModel.query(on: db).all() {
                numbers[try model.requireID()] = model.number
                try await store.search.add(caseID: model.requireID(), caseNumber: model.number, visibility: .public, text: model.subject, on: sql)
            }
            for message in try await MessageModel.query(on: db).sort(\.$createdAt).all() {
                guard let number = numbers[message.caseID] else { continue }
                try await store.search.add(caseID: message.caseID, caseNumber: number,
                                           visibility: Visibility(rawValue: message.visibility) ?? .internal, text: message.text, on: sql)
            }
        }
    }
}
