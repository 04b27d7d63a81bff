import Foundation
import SQLKit

/// Many rows into one table, the cheapest way each database offers.
///
/// Inside a SQLite write (`InlineSQLite`) one prepared single-row statement runs once per row: a multi-row
/// statement of thousands of values is new text every time, so SQLite parsed and planned each one, and SQLKit
/// built it value by value. Elsewhere the rows go in multi-row statements, as many as the parameter limits allow.
struct RowInsert: Sendable {
    let table: String
    let columns: SQLColumnList
    /// On a conflict over these columns, the other columns take the new row's values (an upsert).
    let conflictKey: [String]
    /// The statement for one row, with `?` placeholders (SQLite's form).
    let singleRowText: String

    init(into table: String, columns: SQLColumnList, updatingOnConflictOf conflictKey: [String] = []) {
        self.table = table
        self.columns = columns
        self.conflictKey = conflictKey
        singleRowText = Self.singleRowText(table: table, columns: columns, conflictKey: conflictKey)
    }

    private static func singleRowText(table: String, columns: SQLColumnList, conflictKey: [String]) -> String {
        let quoted = SQLColumnList.quoted
        let placeholders = Array(repeating: "?", count: columns.names.count).joined(separator: ", ")
        var text = "INSERT INTO \(quoted(table)) (\(columns.text)) VALUES (\(placeholders))"
        if !conflictKey.isEmpty {
            let updated = updatedColumns(columns, conflictKey).map { "\(quoted($0)) = excluded.\(quoted($0))" }
            text += " ON CONFLICT (\(SQLColumnList(conflictKey).text)) DO UPDATE SET \(updated.joined(separator: ", "))"
        }
        return text
    }

    /// The columns an upsert overwrites: all but the key.
    private static func updatedColumns(_ columns: SQLColumnList, _ conflictKey: [String]) -> [String] {
        columns.names.filter { !conflictKey.contains($0) }
    }

    /// Writes `rows` (each with a value per column, in order).
    func run(_ rows: [[RowValue]], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        if let inline = sql as? InlineSQLite {
            try await inline.runEach(singleRowText, rows: rows) { row in try await multiRow([row], on: sql) }
            return
        }
        try await multiRow(rows, on: sql)
    }

    /// The same rows as multi-row statements, kept below both databases' parameter limits (32,766 and 65,535).
    private func multiRow(_ rows: [[RowValue]], on sql: any SQLDatabase) async throws {
        let perStatement = max(1, 30_000 / max(1, columns.names.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let part = rows[start..<min(start + perStatement, rows.count)].map { $0.map { SQLBind($0.encodable) as any SQLExpression } }
            var insert = sql.insert(into: table).columns(columns).rows(part)
            if !conflictKey.isEmpty {
                insert = insert.onConflict(with: conflictKey) { update in
                    Self.updatedColumns(columns, conflictKey).reduce(update) { $0.set(excludedValueOf: $1) }
                }
            }
            try await insert.run()
        }
    }
}
