import CasebookCore
import Foundation
import SQLKit

/// Someone copied on a case's public replies.
struct CaseCopy: Sendable, Equatable, Codable {
    let address: String
    let name: String?
    let since: Date
}

/// Who is copied on which case.
enum CaseCopyRepository {
    /// At most this many per case: a reply is a conversation, not a mailing list.
    static let limit = 20

    static func copies(of caseID: UUID, on sql: any SQLDatabase) async throws -> [CaseCopy] {
        try await sql.select().columns("address", "name", "created_at").from("case_copies").where("case_id", .equal, caseID)
            .orderBy("created_at").orderBy("address").all().map {
                CaseCopy(address: try $0.decode(column: "address", as: String.self), name: try $0.decode(column: "name", as: String?.self),
                         since: try $0.decode(column: "created_at", as: Date.self))
            }
    }

    /// Adds a copy; false when the address was copied already.
    static func add(_ caseID: UUID, address: String, name: String?, by userID: UUID?, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        !(try await sql.insert(into: "case_copies").columns("id", "case_id", "address", "name", "added_by", "created_at")
            .values(SQLBind(RecordID.make()), SQLBind(caseID), SQLBind(address.lowercased()), SQLBind(name), SQLBind(userID), SQLBind(now))
            .ignoringConflicts(with: ["case_id", "address"]).returning("id").all().isEmpty)
    }

    /// Removes a copy; false when the address was not copied.
    static func remove(_ caseID: UUID, address: String, on sql: any SQLDatabase) async throws -> Bool {
        !(try await sql.delete(from: "case_copies").where("case_id", .equal, caseID).where("address", .equal, address.lowercased())
            .returning("id").all().isEmpty)
    }

    static func isCopied(_ address: String, on caseNumber: Int, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column(SQLColumn("id", table: "x")).from(SQLAlias(SQLIdentifier("case_copies"), as: SQLIdentifier("x")))
            .join(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier("c")), on: SQLColumn("case_id", table: "x"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("number", table: "c"), .equal, SQLBind(caseNumber)).where(SQLColumn("address", table: "x"), .equal, SQLBind(address.lowercased()))
            .first() != nil
    }

    /// A merged case's copies go with its conversation to the case that remains.
    static func move(from caseID: UUID, to survivor: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        for copy in try await copies(of: caseID, on: sql) {
            _ = try await add(survivor, address: copy.address, name: copy.name, by: nil, at: now, on: sql)
        }
    }

    /// Erasure: the case's copies go with it; a person's address leaves every case.
    static func deleteAll(of caseID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_copies").where("case_id", .equal, caseID).run()
    }

    static func forget(address: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_copies").where("address", .equal, address.lowercased()).run()
    }
}
