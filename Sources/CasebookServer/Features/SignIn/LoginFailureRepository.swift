import Foundation
import SQLKit

/// Failed sign-ins by key (an account or a client), kept in the database so every instance counts the same ones.
enum LoginFailureRepository {
    /// The newest `limit` failures under `key` since a moment, newest first.
    static func recent(key: String, since: Date, limit: Int, on sql: any SQLDatabase) async throws -> [Date] {
        try await sql.select().column("at").from("login_failures").where("key", .equal, key)
            .where("at", .greaterThan, since).orderBy("at", .descending).limit(limit).all()
            .map { try $0.decode(column: "at", as: Date.self) }
    }

    static func add(key: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "login_failures").columns("key", "at").values(SQLBind(key), SQLBind(now)).run()
    }

    static func forget(before cutoff: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "login_failures").where("at", .lessThan, cutoff).run()
    }

    static func forget(key: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "login_failures").where("key", .equal, key).run()
    }
}
