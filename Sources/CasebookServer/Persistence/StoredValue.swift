import Foundation
import SQLKit

/// A column that holds one of an enum's raw values, read as that enum: a value no case of it names (a hand-edited row,
/// a newer version's value) is a clear error naming the column, never a silent default.
enum StoredValue {
    struct Unknown: Error, CustomStringConvertible {
        let column: String
        let value: String
        var description: String { "the stored \(column) '\(value.prefix(60))' is not one Casebook knows" }
    }

    static func decode<Value: RawRepresentable>(_ type: Value.Type, column: String, in row: any SQLRow) throws -> Value
        where Value.RawValue == String {
        let raw = try row.decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else { throw Unknown(column: column, value: raw) }
        return value
    }
}
