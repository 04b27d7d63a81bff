import Foundation
import SQLKit

/// The few facts about the people and catalogue entries a case names, read to check that they exist and fit together.
enum RelatedRecordRepository {
    /// Whether `table` has a row with this id.
    static func exists(_ table: String, _ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from(table).where("id", .equal, id).first() != nil
    }

    /// A catalogue entry's retirement: nil when there is no such entry, `.some(nil)` when it is current.
    static func retirement(in table: String, of id: UUID, on sql: any SQLDatabase) async throws -> Date?? {
        guard let row = try await sql.select().column("retired_at").from(table).where("id", .equal, id).first() else { return nil }
        return .some(try row.decode(column: "retired_at", as: Date?.self))
    }

    /// A product version's product and retirement, when the version exists.
    static func productVersion(_ id: UUID, on sql: any SQLDatabase) async throws -> (productID: UUID, retiredAt: Date?)? {
        guard let row = try await sql.select().columns("product_id", "retired_at").from("product_versions").where("id", .equal, id).first()
        else { return nil }
        return (try row.decode(column: "product_id", as: UUID.self), try row.decode(column: "retired_at", as: Date?.self))
    }

    /// A person's role and whether the account is active, when the person exists.
    static func standing(of userID: UUID, on sql: any SQLDatabase) async throws -> (role: String, active: Bool)? {
        guard let row = try await sql.select().columns("role", "active").from("users").where("id", .equal, userID).first() else { return nil }
        return (try row.decode(column: "role", as: String.self), try row.decode(column: "active", as: Bool.self))
    }

    /// The organisation a person belongs to: nil when there is no such person, `.some(nil)` when they belong to none.
    static func organisation(of userID: UUID, on sql: any SQLDatabase) async throws -> UUID?? {
        guard let row = try await sql.select().column("organisation_id").from("users").where("id", .equal, userID).first() else { return nil }
        return .some(try row.decode(column: "organisation_id", as: UUID?.self))
    }

    /// The product a version belongs to.
    static func product(ofVersion id: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await productVersion(id, on: sql)?.productID
    }
}
