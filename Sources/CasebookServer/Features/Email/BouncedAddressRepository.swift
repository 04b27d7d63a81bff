import CasebookCore
import Foundation
import SQLKit

/// The `bounced_addresses` table: what delivery reports said will never take mail.
enum BouncedAddressRepository {
    static func record(_ address: String, status: String, reason: String, at now: Date, on sql: any SQLDatabase) async throws {
        let address = address.lowercased()
        let updated = try await sql.update("bounced_addresses").set("status", to: status).set("reason", to: String(reason.prefix(500)))
            .set("bounced_at", to: now).where("address", .equal, address).returning("id").all()
        guard updated.isEmpty else { return }
        try await sql.insert(into: "bounced_addresses").columns("id", "address", "status", "reason", "bounced_at")
            .values(SQLBind(RecordID.make()), SQLBind(address), SQLBind(status), SQLBind(String(reason.prefix(500))), SQLBind(now))
            .ignoringConflicts(with: ["address"]).run()
    }

    /// Which of these addresses bounced for good.
    static func bounced(among addresses: [String], on sql: any SQLDatabase) async throws -> Set<String> {
        guard !addresses.isEmpty else { return [] }
        return Set(try await sql.select().column("address").from("bounced_addresses")
            .where("address", .in, SQLBind.group(addresses.map { $0.lowercased() })).all()
            .map { try $0.decode(column: "address", as: String.self) })
    }

    static func all(address: String?, on sql: any SQLDatabase) async throws -> [BouncedAddress] {
        var select = sql.select().columns("id", "address", "status", "reason", "bounced_at").from("bounced_addresses")
        if let address { select = select.where("address", .equal, address.lowercased()) }
        return try await select.orderBy("bounced_at", .descending).limit(500).all().map(decode)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> BouncedAddress? {
        try await sql.select().columns("id", "address", "status", "reason", "bounced_at").from("bounced_addresses").where("id", .equal, id)
            .first().map(decode)
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "bounced_addresses").where("id", .equal, id).run()
    }

    private static func decode(_ row: any SQLRow) throws -> BouncedAddress {
        BouncedAddress(id: try row.decode(column: "id", as: UUID.self), address: try row.decode(column: "address", as: String.self),
                       status: try row.decode(column: "status", as: String.self), reason: try row.decode(column: "reason", as: String.self),
                       bouncedAt: try row.decode(column: "bounced_at", as: Date.self))
    }
}
