import Foundation

/// Reads RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF rows.
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public let rows: [[String]]

    /// Parses `text`; the first row is the header. Blank lines are skipped.
    public static func parse(_ text: String) throws(CSVError) -> CSVTable {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
            field = ""
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                    } else { quoted = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !afterQuote else { throw .strayQuote(line: line) }
                quoted = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\r":
                break
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
            default:
                guard !afterQuote else { throw .strayQuote(line: line) }
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw .unterminatedQuote }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else { throw .empty }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (index, row) in records.dropFirst().enumerated() where row.count != names.count {
            throw .wrongFieldCount(row: index + 2, expected: names.count, found: row.count)
        }
        return CSVTable(header: names, rows: Array(records.dropFirst()))
    }

    /// The row as a dictionary from header name to trimmed value, leaving out empty values.
    public func values(_ row: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in zip(header, row) {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { result[name] = trimmed }
        }
        return result
    }
}

/// Why a CSV file could not be read.
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unterminatedQuote
    case strayQuote(line: Int)
    case wrongFieldCount(row: Int, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .empty: "The CSV file has no header row."
        case .unterminatedQuote: "A quoted field is never closed."
        case let .strayQuote(line): "Line \(line) has a quote inside an unquoted field."
        case let .wrongFieldCount(row, expected, found): "Row \(row) has \(found) fields; the header has \(expected)."
        }
    }
}
