import SQLKit

/// Fixed column names, quoted once, for the statements Casebook runs most.
///
/// SQLKit quotes and escapes every identifier each time it serializes a query; for a 35-column case row that was
/// a visible share of every case creation and fetch. Both databases quote identifiers with double quotes.
struct SQLColumnList: SQLExpression {
    let names: [String]
    /// The names quoted and comma-separated, as they appear in a statement.
    let text: String

    init(_ names: [String]) {
        self.names = names
        text = names.map(Self.quoted).joined(separator: ", ")
    }

    /// `name` as a quoted identifier (both databases quote with double quotes, doubled inside).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    func serialize(to serializer: inout SQLSerializer) { serializer.write(text) }
}
