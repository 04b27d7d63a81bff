import SQLKit

/// Fixed column names, quoted once, for the statements Casebook runs most.
///
/// SQLKit quotes and escapes every identifier each time it serializes a query; for a 35-column case row that was
/// a visible share of every case creation and fetch. Both databases quote identifiers with double quotes.
struct SQLColumnList: SQLExpression {
    let names: [String]
    private let text: String

    init(_ names: [String]) {
        self.names = names
        text = names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", ")
    }

    func serialize(to serializer: inout SQLSerializer) { serializer.write(text) }
}
