import CasebookCore
import Foundation
import SQLKit

/// Names of the records a field can point at (people, groups, organisations, products, versions, categories), by id,
/// and the timeline entries a page shows those names in.
enum RecordNameRepository {
    static let tables = ["users", "groups", "organisations", "products", "product_versions", "categories"]

    static func load(_ ids: Set<UUID>, from tables: [String] = tables, on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        // People first (most ids are authors); each further table is asked only for the ids still unnamed.
        for table in tables where names.count < ids.count {
            let wanted = Array(ids.subtracting(names.keys))
            for row in try await sql.select().columns("id", "name").from(table).where("id", .in, SQLBind.group(wanted)).all() {
                names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return names
    }

    /// Names of people by id, read in one query.
    static func people(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: String] {
        try await load(ids, from: ["users"], on: sql)
    }
}
