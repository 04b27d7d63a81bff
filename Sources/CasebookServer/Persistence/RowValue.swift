import CasebookCore
import Foundation

/// One value of a row that `RowInsert` writes, typed when the row is made.
///
/// A bulk write binds hundreds of thousands of values: as `any Encodable` each one took a chain of dynamic casts to
/// find its type again (about 5% of a 100,000-case service-level recomputation). Typed here, SQLite binds it directly.
enum RowValue: Sendable, Equatable {
    case text(String)
    case id(UUID)
    case date(Date)
    case integer(Int)
    case double(Double)
    /// No value, of the column's type: PostgreSQL takes a typed null only into a column of that type.
    case null(Kind)

    /// The type of a null, as the value would have had.
    enum Kind: Sendable, Equatable {
        case text, id, date, integer, double
    }

    init(_ text: String?) { self = text.map(RowValue.text) ?? .null(.text) }
    init(_ id: UUID?) { self = id.map(RowValue.id) ?? .null(.id) }
    init(_ date: Date?) { self = date.map(RowValue.date) ?? .null(.date) }
    init(_ number: Int?) { self = number.map(RowValue.integer) ?? .null(.integer) }
    init(_ number: Double?) { self = number.map(RowValue.double) ?? .null(.double) }

    /// The value as SQLKit binds it on the other databases.
    var encodable: any Encodable & Sendable {
        switch self {
        case let .text(text): text
        case let .id(id): id
        case let .date(date): date
        case let .integer(number): number
        case let .double(number): number
        case .null(.text): String?.none
        case .null(.id): UUID?.none
        case .null(.date): Date?.none
        case .null(.integer): Int?.none
        case .null(.double): Double?.none
        }
    }
}
