import CasebookCore
import Foundation
import SQLKit
import Vapor

/// How a CSV import runs: look first, or write.
enum CSVImportMode: String, Sendable, Codable {
    /// Checks every row and says what would happen; writes nothing.
    case preview
    /// Writes every row, or nothing when any row is wrong (unless bad rows are skipped).
    case apply
}

/// What one row of an import comes to.
struct CSVRowOutcome: Content, Equatable {
    /// The row's line in the file (the header is line 1).
    var row: Int
    /// create, update, or skip (a bad row left out).
    var action: String
    /// The email or name the row is about.
    var key: String
    var errors: [String]?
}

/// The answer of an import or its preview.
struct CSVImportResult: Content {
    var mode: CSVImportMode
    var rows: Int
    var valid: Int
    var invalid: Int
    var created: Int
    var updated: Int
    var skipped: Int
    /// Every bad row, then the first good ones (up to 500 in all).
    var outcomes: [CSVRowOutcome]

    init(mode: CSVImportMode, outcomes all: [CSVRowOutcome], applied: Bool) {
        self.mode = mode
        rows = all.count
        let bad = all.filter { $0.errors != nil }
        invalid = bad.count
        valid = all.count - bad.count
        created = applied ? all.filter { $0.action == "create" }.count : 0
        updated = applied ? all.filter { $0.action == "update" }.count : 0
        skipped = applied ? bad.count : 0
        outcomes = Array((bad + all.filter { $0.errors == nil }).prefix(500))
    }
}

/// Reading and writing the CSV files of contacts and organisations.
enum PeopleCSV {
    static let maxRows = 50_000

    /// Refuses an apply with bad rows (unless they are skipped), naming every one.
    static func refuseBadRows(_ outcomes: [CSVRowOutcome], skipping: Bool) throws {
        let bad = outcomes.filter { $0.errors != nil }
        guard !bad.isEmpty, !skipping else { return }
        let faults = bad.prefix(500).flatMap { outcome in (outcome.errors ?? []).map { FieldFault(field: "row \(outcome.row)", message: $0) } }
        throw DomainError.invalidFields("\(bad.count) row(s) are wrong; nothing was imported. First: row \(bad[0].row): \(bad[0].errors?.first ?? "").",
                                        faults)
    }

    /// A value as a spreadsheet saved it: the apostrophe our export puts before =, +, - and @ comes off again.
    static func cell(_ value: String?) -> String? {
        guard let value else { return nil }
        if value.hasPrefix("'"), let next = value.dropFirst().first, "=+-@".contains(next) { return String(value.dropFirst()) }
        return value
    }

    static func line(_ fields: [String]) -> String { fields.map(CSVField.quote).joined(separator: ",") + "\r\n" }
}
