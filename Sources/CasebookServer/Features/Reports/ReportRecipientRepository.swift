import Foundation
import SQLKit

/// Who receives the weekly report, and the small state the reports keep (which weeks went out, the rollup's watermark).
enum ReportRecipientRepository {
    static func all(on sql: any SQLDatabase) async throws -> [(id: UUID, email: String, createdAt: Date)] {
        try await sql.select().columns("id", "email", "created_at").from("report_recipients").orderBy("email").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "email", as: String.self), try $0.decode(column: "created_at", as: Date.self))
        }
    }

    /// Adds a recipient; an address already on the list fails the unique constraint.
    static func add(id: UUID, email: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "report_recipients").columns("id", "email", "created_at").values(SQLBind(id), SQLBind(email), SQLBind(now)).run()
    }

    static func exists(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("report_recipients").where("id", .equal, id).first() != nil
    }

    static func remove(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "report_recipients").where("id", .equal, id).run()
    }

    /// A value the reports keep under a key.
    static func state(_ key: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("value").from("report_state").where("key", .equal, key).first()?.decode(column: "value", as: String.self)
    }

    static func setState(_ key: String, to value: String, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "report_state").columns("key", "value").values(SQLBind(key), SQLBind(value))
            .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value") }.run()
    }

    static func forgetState(_ key: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "report_state").where("key", .equal, key).run()
    }
}
