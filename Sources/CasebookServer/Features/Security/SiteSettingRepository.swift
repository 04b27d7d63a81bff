import Foundation
import SQLKit

/// Site-wide settings admins change at run time, one JSON value per key.
enum SiteSettingRepository {
    static func value(_ key: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("value").from("site_settings").where("key", .equal, key).first()?.decode(column: "value", as: String.self)
    }

    static func put(_ key: String, value: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "site_settings").where("key", .equal, key).run()
        try await sql.insert(into: "site_settings").columns("key", "value").values(SQLBind(key), SQLBind(value)).run()
    }
}
